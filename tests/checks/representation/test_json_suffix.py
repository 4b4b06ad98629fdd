"""The .json suffix check against a scripted server (no sockets)."""

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


def _no_suffix(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith(".json"):
        return httpx.Response(404, headers=JSON, json={"message": "Not Found"})
    return httpx.Response(200, headers=JSON, json={"name": "Howard"})


def test_a_json_suffix_the_server_does_not_know_is_reported(tmp_path: Path) -> None:
    result = _run(tmp_path, "representation.json-suffix", _no_suffix)
    assert {f.clause for f in result.findings} == {"ITRP-ENV-JSON-SUFFIX"}
    assert "suffix" in result.findings[0].title
