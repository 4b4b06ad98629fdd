"""The OpenAPI description: served as a JSON object (labelled JSON) at the documented
path, valid against the vendor's schema of it, describing every documented operation
(strict mode: the assumed ones too); and the interactive documentation page served with
its media type."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from harness.checks._context import CheckContext
from harness.checks._ops import shown
from harness.checks._registry import check
from harness.checks.openapi._features import OPENAPI, OpenApi

_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _spec_paths(spec: dict[str, Any], base_path: str) -> dict[str, set[str]]:
    """Documented path (placeholders blanked, base path removed) -> methods (upper case)."""
    out: dict[str, set[str]] = {}
    paths = spec.get("paths")
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        plain = str(path)
        if base_path and plain.startswith(base_path + "/"):
            plain = plain[len(base_path) :]
        key = _PLACEHOLDER.sub("{}", plain.rstrip("/") or "/")
        out.setdefault(key, set()).update(m.upper() for m in item if isinstance(m, str))
    return out


def _docs_page(ctx: CheckContext, published: OpenApi) -> None:
    """The interactive documentation page is served with its media type."""
    docs = published.docs_path_from_host
    if not docs:
        return
    page = ctx.client.request("GET", ctx.target.origin + docs)
    wanted = published.docs_content_type
    kind = page.headers.get("content-type", "").split(";")[0].strip().lower()
    if page.status != 200 or kind != wanted:
        ctx.finding(
            "interactive documentation not served",
            f"GET {docs} answered {page.status} with Content-Type {kind!r} instead of 200 {wanted}",
            page,
        )


@check("openapi.document", concern="vendor", requires=(OPENAPI,), aliases=("rules_a.openapi",))
def document(ctx: CheckContext) -> None:
    """The OpenAPI description is served as JSON where documented and describes the
    documented operations; the interactive documentation page is served too."""
    published = ctx.feature(OPENAPI)
    path = published.spec_path
    served = ctx.client.request("GET", path)
    spec = served.json()
    media = served.headers.get("content-type", "").split(";")[0].strip().lower()
    if served.status != 200 or not isinstance(spec, dict):
        ctx.finding(
            "no OpenAPI document",
            f"GET {path} answered {served.status} without a JSON object",
            served,
        )
        return
    if media != "application/json" and not media.endswith("+json"):
        ctx.finding("OpenAPI document not labelled JSON", f"Content-Type is {media!r}", served)
    violations = ctx.validate(published.spec_schema, spec) if published.spec_schema else []
    if violations:
        ctx.finding("OpenAPI document malformed", shown([str(v) for v in violations]), served)
        return
    described = _spec_paths(spec, urlsplit(ctx.target.base_url).path.rstrip("/"))
    absent = [
        f"{op.method} {op.path}"
        for op in ctx.profile.operations
        if (ctx.strict or op.source != "assumed")
        and op.method not in described.get(_PLACEHOLDER.sub("{}", op.path), set())
    ]
    if absent:
        ctx.finding(
            "OpenAPI document lacks documented operations",
            "not described: " + shown(absent),
            served,
        )
    _docs_page(ctx, published)
