"""The conditional GET check against a scripted server (no sockets): what it accepts in
lenient and strict mode, and which clause it blames."""

from __future__ import annotations

from pathlib import Path

import httpx

from harness.checks import get_check
from harness.engine import CheckResult, run_check
from tests.support.sessions import Handler, fake_session

JSON = {"content-type": "application/json; charset=utf-8"}


def _run(tmp_path: Path, check: str, handler: Handler, strict: bool = False) -> CheckResult:
    session = fake_session(tmp_path, "itrp", handler, strict=strict)
    try:
        return run_check(session, get_check(check), None)
    finally:
        session.close()


def _etag_header_only(request: httpx.Request) -> httpx.Response:
    """Revalidates with the document's Etag request header, not with If-None-Match."""
    if request.headers.get("etag") == '"v1"':
        return httpx.Response(304, headers=JSON)
    return httpx.Response(200, headers={**JSON, "ETag": '"v1"'}, json={"name": "Howard"})


def test_an_etag_request_header_is_accepted_leniently_but_not_strictly(tmp_path: Path) -> None:
    lenient = _run(tmp_path, "conditional.not-modified", _etag_header_only)
    assert lenient.outcome == "passed", lenient.findings
    strict = _run(tmp_path, "conditional.not-modified", _etag_header_only, strict=True)
    assert {f.clause for f in strict.findings} == {"ITRP-HTTP-304"}
