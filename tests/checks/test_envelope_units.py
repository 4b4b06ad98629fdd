"""The envelope and transport checks against small scripted servers (no sockets), and
their helpers: charset parsing and the sorting of schema violations by what they are about."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from harness.checks import get_check
from harness.checks._shapes import classify
from harness.checks.envelope_content import charset_of
from harness.engine import CheckResult, open_session, run_check
from harness.validation import Violation

Handler = Callable[[httpx.Request], httpx.Response]
JSON = "application/json; charset=utf-8"
CREDENTIALS = {
    "itrp": '[credentials]\napi_token = "token-123"\n',
    "turitop": '[credentials]\nshort_id = "C1"\nsecret_key = "sk"\n',
}
REQUEST = {
    "id": 7,
    "subject": "Printer jam",
    "category": "incident",
    "status": "assigned",
    "created_at": "2025-01-15T10:30:00Z",
    "updated_at": "2025-01-15T10:30:00Z",
    "requested_by": {"id": 13, "name": "Howard"},
}


def _run(
    tmp_path: Path, vendor: str, check: str, handler: Handler, *, strict: bool = False,
    operation: str | None = None,
) -> CheckResult:
    path = tmp_path / "target.toml"
    head = f'vendor = "{vendor}"\nbase_url = "https://{vendor}.test/v1"\nmode = "emulator"\n'
    head += "strict = true\n" if strict else ""
    path.write_text(head + CREDENTIALS[vendor], encoding="utf-8")
    from harness.targets import load_target

    session = open_session(load_target(path, environ={}), transport=httpx.MockTransport(handler))
    try:
        op = session.profile.operation(operation) if operation else None
        return run_check(session, get_check(check), op)
    finally:
        session.client.close()


def _json(status: int, body: Any, content_type: str = JSON) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers={
        "content-type": content_type})


def _itrp(
    body: Any = None, *, error_type: str = JSON, root: Any = None
) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        if "authorization" not in request.headers:
            return _json(401, {"message": "Access credentials required"}, error_type)
        if request.url.path in ("/v1", "/v1/"):
            return _json(200, {} if root is None else root)
        if request.url.path == "/v1/requests":
            return _json(200, [REQUEST] if body is None else body)
        return _json(404, {"message": "Not Found"}, error_type)

    return handle


def _clauses(result: CheckResult) -> set[str]:
    return {f.clause for f in result.findings}


# ---------------------------------------------------------------- helpers


def test_the_charset_parameter_is_read_case_insensitively_and_unquoted() -> None:
    assert charset_of('application/json; Charset="UTF-8"') == "utf-8"
    assert charset_of("application/json") is None
    assert charset_of("application/json; boundary=x; charset=latin-1") == "latin-1"


def _violation(pointer: str, rule: str, value: Any = None, message: str = "") -> Violation:
    return Violation("s", pointer, rule, value, message, "")


def test_violations_are_sorted_into_shape_ids_timestamps_records_and_metadata() -> None:
    keys, meta = frozenset({"id"}), frozenset({"requestId"})
    listed = [REQUEST]
    assert classify(_violation("", "type"), {"items": listed}, keys, meta) == "shape"
    assert classify(_violation("/0/site/id", "type", "13"), listed, keys, meta) == "id"
    stamp = _violation("/0/created_at", "pattern", "2025-01-15T10:30:00+02:00", "does not match")
    assert classify(stamp, listed, keys, meta) == "timestamp"
    assert classify(_violation("/0/subject", "type", 3), listed, keys, meta) == "record"
    wrapped = {"requestId": 3, "data": listed}
    assert classify(_violation("/requestId", "type", 3), wrapped, keys, meta) == "meta"
    assert classify(_violation("/requestId", "required"), {"data": listed}, keys, meta) == "shape"


def test_a_payload_wrapped_twice_is_a_shape_violation_not_a_record_one() -> None:
    keys = frozenset({"agencyId"})
    body = {"requestId": "r", "data": {"requestId": "r", "data": {"agencyId": "a"}}}
    violation = _violation("/data/agencyId", "required")
    assert classify(violation, body, keys, frozenset({"requestId"})) == "shape"


# ---------------------------------------------------------------- checks on scripted servers


def test_an_error_answered_as_html_breaks_the_content_type_clause(tmp_path: Path) -> None:
    result = _run(tmp_path, "itrp", "transport.content-type", _itrp(error_type="text/html"))
    assert _clauses(result) == {"ITRP-ENV-CONTENT-TYPE"}
    assert "401" in result.findings[0].message


def test_a_missing_charset_is_reported_where_the_document_requires_it(tmp_path: Path) -> None:
    missing = _run(tmp_path, "itrp", "transport.charset", _itrp(error_type="application/json"))
    assert _clauses(missing) == {"ITRP-ENV-CONTENT-TYPE"}
    clean = _run(tmp_path, "itrp", "transport.charset", _itrp())
    assert clean.outcome == "passed", clean.reason


def test_a_wrapped_collection_breaks_the_bare_body_clause_but_a_bad_date_does_not(
    tmp_path: Path,
) -> None:
    wrapped = _run(tmp_path, "itrp", "envelope.list-shape", _itrp({"requests": [REQUEST]}),
                   operation="requests.list")
    assert _clauses(wrapped) == {"ITRP-ENV-BARE"}
    late = [{**REQUEST, "created_at": "yesterday"}]
    dated = _run(tmp_path, "itrp", "envelope.list-shape", _itrp(late), operation="requests.list")
    assert dated.outcome == "passed", dated.findings
    ids = _run(tmp_path, "itrp", "envelope.id-format", _itrp(late), operation="requests.list")
    assert ids.outcome == "passed", ids.findings


def test_string_ids_in_references_break_the_integer_id_clause(tmp_path: Path) -> None:
    body = [{**REQUEST, "requested_by": {"id": "13", "name": "Howard"}}]
    result = _run(tmp_path, "itrp", "envelope.id-format", _itrp(body), operation="requests.list")
    assert _clauses(result) == {"ITRP-ENV-INTEGER-IDS"}
    assert "/0/requested_by/id" in result.findings[0].message
    shape = _run(tmp_path, "itrp", "envelope.list-shape", _itrp(body), operation="requests.list")
    assert shape.outcome == "passed", shape.findings


def test_a_service_root_with_content_breaks_the_root_clause(tmp_path: Path) -> None:
    result = _run(tmp_path, "itrp", "envelope.service-root", _itrp(root={"hello": 1}))
    assert _clauses(result) == {"ITRP-ENV-ROOT"}


def _turitop(*, failure_status: int = 401, code: Any = None) -> Handler:
    def envelope(status: str, http: int, data: Any, message: str = "") -> httpx.Response:
        body = {"status": status, "code": str(http) if code is None else code,
                "message": message, "details": None, "data": data}
        return _json(http, body)

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        if request.url.path == "/v1/authorization/grant":
            data = {"access_token": "tok", "refresh_token": "ref", "company_short_id": "C1"}
            return envelope("SUCCESS", 200, data)
        if request.method != "POST":
            return envelope("ERROR", 405, None, "POST only")
        if body.get("access_token") != "tok":
            return envelope("ERROR", failure_status, None, "Unauthorized")
        if request.url.path == "/v1/booking/getbookings":
            return envelope("SUCCESS", 200, {"bookings": [], "pagination": {"has_more": False}})
        return envelope("ERROR", 404, None, "Unknown operation")

    return handle


def test_a_failure_inside_http_200_is_accepted_leniently_and_refused_strictly(
    tmp_path: Path,
) -> None:
    lenient = _run(tmp_path, "turitop", "envelope.status-field", _turitop(failure_status=200))
    assert lenient.outcome == "passed", lenient.findings
    strict = _run(tmp_path, "turitop", "envelope.status-field", _turitop(failure_status=200),
                  strict=True)
    assert _clauses(strict) == {"TURI-ENV-STATUS"}


def test_a_numeric_envelope_code_passes_leniently_but_not_strictly(tmp_path: Path) -> None:
    def numeric(request: httpx.Request) -> httpx.Response:
        response = _turitop()(request)
        body = json.loads(response.content)
        body["code"] = int(body["code"])
        return _json(response.status_code, body)

    lenient = _run(tmp_path, "turitop", "envelope.code-field", numeric)
    assert lenient.outcome == "passed", lenient.findings
    strict = _run(tmp_path, "turitop", "envelope.code-field", numeric, strict=True)
    assert _clauses(strict) == {"TURI-ENV-CODE"}
    assert "public material" in strict.findings[0].message


def test_a_get_request_is_not_served_where_only_post_is_documented(tmp_path: Path) -> None:
    for check in ("transport.documented-method", "transport.get-params-ignored"):
        result = _run(tmp_path, "turitop", check, _turitop(), strict=True)
        assert result.outcome == "passed", (check, result.findings, result.reason)
