"""What every response carries: the charset parameter parsing, and the media type and
charset checks on a scripted ITRP-like server (errors included)."""

from __future__ import annotations

from pathlib import Path

import httpx

from harness.checks import get_check
from harness.checks.transport.responses import charset_of
from harness.engine import run_check
from tests.checks.envelope._servers import clauses, itrp, run, session


def test_the_charset_parameter_is_read_case_insensitively_and_unquoted() -> None:
    assert charset_of('application/json; Charset="UTF-8"') == "utf-8"
    assert charset_of("application/json") is None
    assert charset_of("application/json; boundary=x; charset=latin-1") == "latin-1"


def test_an_error_answered_as_html_breaks_the_content_type_clause(tmp_path: Path) -> None:
    result = run(tmp_path, "itrp", "transport.content-type", itrp(error_type="text/html"))
    assert clauses(result) == {"ITRP-ENV-CONTENT-TYPE"}
    assert "401" in result.findings[0].message


def test_a_missing_charset_is_reported_where_the_document_requires_it(tmp_path: Path) -> None:
    missing = run(tmp_path, "itrp", "transport.charset", itrp(error_type="application/json"))
    assert clauses(missing) == {"ITRP-ENV-CONTENT-TYPE"}
    clean = run(tmp_path, "itrp", "transport.charset", itrp())
    assert clean.outcome == "passed", clean.reason


def test_the_response_checks_of_one_session_send_each_sample_once(tmp_path: Path) -> None:
    sent: list[str] = []
    handler = itrp()

    def counting(request: httpx.Request) -> httpx.Response:
        signed = "authorization" in request.headers
        sent.append(f"{request.method} {request.url.path} signed={signed}")
        return handler(request)

    checks = ("transport.content-type", "transport.charset", "transport.json-body")
    with session(tmp_path, "itrp", counting) as opened:
        for name in checks:
            result = run_check(opened, get_check(name), None)
            assert result.outcome == "passed", (name, result.findings, result.reason)
    assert len(sent) == len(set(sent)), sent
