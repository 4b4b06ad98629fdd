"""The interactive docs page at /docs: self-contained HTML generated from the OpenAPI document.

Nothing is loaded from elsewhere (no CDN scripts, fonts or images): styles are inline and
the only script toggles sections and filters operations locally.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:16px 28px}header p{margin:4px 0 0;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:20px 28px}
input{width:100%;padding:8px;margin:0 0 16px;font-size:15px;box-sizing:border-box}
details{background:#fff;border:1px solid #d5d9e0;border-radius:6px;margin:0 0 10px}
summary{cursor:pointer;padding:10px 14px;font-family:ui-monospace,monospace}
.m{display:inline-block;width:64px;font-weight:700;color:#fff;text-align:center;border-radius:4px;
margin-right:10px}.get{background:#2f7d32}.post{background:#1565c0}.patch{background:#b26a00}
.delete{background:#b3261e}.body{padding:4px 16px 14px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
td,th{border:1px solid #e1e4ea;padding:5px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#eef1f5}code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f0f2f5;padding:10px;overflow:auto;border-radius:4px}
"""

_SCRIPT = """
document.getElementById('q').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase();
  document.querySelectorAll('details.op').forEach(function (d) {
    d.style.display = d.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
function openTarget() {
  var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (el && el.tagName === 'DETAILS') { el.open = true; el.scrollIntoView(); }
}
window.addEventListener('hashchange', openTarget);
openTarget();
"""


def _schema_label(schema: Any) -> str:
    if not isinstance(schema, dict):
        return escape(json.dumps(schema))
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'
    shown = {k: v for k, v in schema.items() if k != "description"}
    return f"<code>{escape(json.dumps(shown))}</code>"


def _parameters(params: list[dict[str, Any]]) -> str:
    if not params:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{'yes' if p.get('required') else 'no'}</td><td>{_schema_label(p['schema'])}</td>"
        f"<td>{escape(p.get('description', ''))}</td></tr>"
        for p in params
    )
    return (
        "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th>"
        f"<th>schema</th><th>description</th></tr>{rows}</table>"
    )


def _responses(responses: dict[str, Any]) -> str:
    rows = []
    for code, spec in responses.items():
        content = spec.get("content", {}).get("application/json", {})
        schema = _schema_label(content["schema"]) if "schema" in content else "(empty body)"
        headers = ", ".join(escape(h) for h in spec.get("headers", {}))
        rows.append(
            f"<tr><td>{escape(code)}</td><td>{escape(spec['description'])}</td>"
            f"<td>{schema}</td><td>{headers}</td></tr>"
        )
    return (
        "<h4>Responses</h4><table><tr><th>status</th><th>meaning</th><th>body</th>"
        f"<th>headers</th></tr>{''.join(rows)}</table>"
    )


def _operation(base: str, path: str, method: str, op: dict[str, Any], shared: list[Any]) -> str:
    body = ""
    if "requestBody" in op:
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        body = f"<h4>Request body (application/json)</h4><p>{_schema_label(schema)}</p>"
    return (
        f'<details class="op" id="{escape(op["operationId"])}"><summary>'
        f'<span class="m {method}">{method.upper()}</span>{escape(base + path)} '
        f'&mdash; {escape(op.get("summary", ""))}</summary><div class="body">'
        f"<p>operationId <code>{escape(op['operationId'])}</code></p>"
        f"{_parameters([*shared, *op.get('parameters', [])])}{body}"
        f"{_responses(op['responses'])}</div></details>"
    )


def docs_html(document: dict[str, Any]) -> str:
    """A standalone HTML page describing every operation and schema of ``document``."""
    base = document["servers"][0]["url"].rstrip("/")
    ops = []
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in ("get", "post", "patch", "delete"):
            if method in item:
                ops.append(_operation(base, path, method, item[method], shared))
    schemas = "".join(
        f'<details id="schema-{escape(name)}"><summary>{escape(name)}</summary>'
        f'<div class="body"><pre>{escape(json.dumps(schema, indent=2))}</pre></div></details>'
        for name, schema in document["components"]["schemas"].items()
    )
    info = document["info"]
    security = document["components"]["securitySchemes"]["bearerAuth"]["description"]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(info['title'])} docs</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(info['title'])} {escape(info['version'])}</h1>"
        f"<p>{escape(info['description'])}</p></header><main>"
        f"<p>Authentication: <code>{escape(security)}</code>. Machine-readable description: "
        f'<a href="{escape(base)}/openapi.json">{escape(base)}/openapi.json</a>.</p>'
        '<input id="q" type="search" placeholder="Filter operations">'
        f"<h2>Operations</h2>{''.join(ops)}<h2>Schemas</h2>{schemas}"
        f"</main><script>{_SCRIPT}</script></body></html>"
    )
