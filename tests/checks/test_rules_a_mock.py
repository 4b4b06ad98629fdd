"""rules_a checks against small scripted servers (no sockets): what they accept in lenient
and strict mode, and which clause they blame."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx

from harness.checks import get_check
from harness.engine import CheckResult, open_session, run_check
from harness.targets import load_target

TARGET = """
vendor = "itrp"
base_url = "https://itrp.test/v1"
mode = "emulator"
{strict}
[credentials]
api_token = "token-123"
"""

Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json; charset=utf-8"}


def _run(tmp_path: Path, check: str, handler: Handler, strict: bool = False) -> CheckResult:
    path = tmp_path / "target.toml"
    path.write_text(TARGET.format(strict="strict = true" if strict else ""), encoding="utf-8")
    session = open_session(load_target(path, environ={}), transport=httpx.MockTransport(handler))
    try:
        return run_check(session, get_check(check), None)
    finally:
        session.client.close()


def _etag_header_only(request: httpx.Request) -> httpx.Response:
    """Revalidates with the document's Etag request header, not with If-None-Match."""
    if request.headers.get("etag") == '"v1"':
        return httpx.Response(304, headers=JSON)
    return httpx.Response(200, headers={**JSON, "ETag": '"v1"'}, json={"name": "Howard"})


def test_an_etag_request_header_is_accepted_leniently_but_not_strictly(tmp_path: Path) -> None:
    lenient = _run(tmp_path, "rules_a.conditional-get", _etag_header_only)
    assert lenient.outcome == "passed", lenient.findings
    strict = _run(tmp_path, "rules_a.conditional-get", _etag_header_only, strict=True)
    assert {f.clause for f in strict.findings} == {"ITRP-HTTP-304"}


def _no_suffix(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith(".json"):
        return httpx.Response(404, headers=JSON, json={"message": "Not Found"})
    return httpx.Response(200, headers=JSON, json={"name": "Howard"})


def test_a_json_suffix_the_server_does_not_know_is_reported(tmp_path: Path) -> None:
    result = _run(tmp_path, "rules_a.json-suffix", _no_suffix)
    assert {f.clause for f in result.findings} == {"ITRP-ENV-JSON-SUFFIX"}
    assert "suffix" in result.findings[0].title


def _jsonp(status_as_text: bool) -> Handler:
    link = '<https://itrp.test/v1/requests?page=2>; rel="next"'

    def handler(request: httpx.Request) -> httpx.Response:
        authorized = "authorization" in request.headers
        status = 200 if authorized else 401
        body: object = [{"id": 1}] if authorized else {"message": "Access credentials required"}
        headers = {**JSON, "Link": link} if authorized else dict(JSON)
        callback = request.url.params.get("callback")
        if callback is None:
            return httpx.Response(status, headers=headers, json=body)
        meta: dict[str, object] = {"status": str(status) if status_as_text else status}
        if authorized:
            meta["Link"] = [["https://itrp.test/v1/requests?page=2", {"rel": "next"}]]
        text = f"{callback}({json.dumps({'meta': meta, 'data': body})})"
        return httpx.Response(200, headers=JSON, content=text.encode())

    return handler


def test_jsonp_meta_with_the_status_as_text_breaks_the_meta_clause_only(tmp_path: Path) -> None:
    meta = _run(tmp_path, "rules_a.jsonp-meta", _jsonp(status_as_text=True))
    assert {f.clause for f in meta.findings} == {"ITRP-JSONP-META"}
    assert "not the HTTP status as a number" in meta.findings[0].message
    wrap = _run(tmp_path, "rules_a.jsonp-wrap", _jsonp(status_as_text=True))
    assert wrap.outcome == "passed", wrap.findings


def test_well_formed_jsonp_passes_both_checks(tmp_path: Path) -> None:
    for name in ("rules_a.jsonp-meta", "rules_a.jsonp-wrap"):
        result = _run(tmp_path, name, _jsonp(status_as_text=False))
        assert result.outcome == "passed", (name, result.findings, result.reason)
