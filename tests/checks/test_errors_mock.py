"""The error checks against small scripted servers (no sockets), and their helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from harness.checks import get_check
from harness.checks.errors import error_schema, named_statuses
from harness.engine import CheckResult, open_session, run_check
from harness.profiles import load_profile
from harness.targets import load_target

TARGETS = {
    "itrp": '[credentials]\napi_token = "token-123"\n',
    "toptickets": '[credentials]\napi_key = "tt_admin_123"\n',
    "trackops": '[credentials]\nusername = "sam"\napi_token = "token-123"\n',
}
Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json; charset=utf-8"}


def _run(
    tmp_path: Path,
    vendor: str,
    check: str,
    handler: Handler,
    strict: bool = False,
    operation: str | None = None,
    writes: bool = False,
) -> CheckResult:
    path = tmp_path / "target.toml"
    head = f'vendor = "{vendor}"\nbase_url = "https://{vendor}.test/v1"\nmode = "emulator"\n'
    head += "strict = true\n" if strict else ""
    allow = f"[allow]\nwrites = {'true' if writes else 'false'}\n"
    path.write_text(head + TARGETS[vendor] + allow, encoding="utf-8")
    session = open_session(load_target(path, environ={}), transport=httpx.MockTransport(handler))
    try:
        op = session.profile.operation(operation) if operation else None
        return run_check(session, get_check(check), op)
    finally:
        session.client.close()


def test_status_codes_ranges_and_classes_are_read_from_a_summary() -> None:
    codes, classes = named_statuses("Error responses (400-406, 429, 5xx) per RFC 7231.")
    assert codes == frozenset({400, 401, 402, 403, 404, 405, 406, 429})
    assert classes == frozenset({5})


def test_an_undocumented_error_status_falls_back_to_the_general_error_schema() -> None:
    profile = load_profile("turris")
    assert error_schema(profile, 404) == "error-404.schema.json"
    assert error_schema(profile, 422) == "error-422.schema.json"  # PUBLIC-FACTS status
    assert error_schema(profile, 418) == "error.schema.json"


def _itrp_with_extra_key(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/requests") and request.method == "POST":
        body = {"message": "Validation Failed", "errors": [{"subject": "can't be blank"}]}
        return httpx.Response(422, headers=JSON, json=body)
    return httpx.Response(404, headers=JSON, json={"message": "Not Found", "status": 404})


def test_an_extra_key_in_an_error_body_is_blamed_on_the_general_body_clause(
    tmp_path: Path,
) -> None:
    result = _run(tmp_path, "itrp", "errors.body-shape", _itrp_with_extra_key)
    assert {f.clause for f in result.findings} == {"ITRP-ERR-BODY"}


def test_a_broken_validation_body_is_blamed_on_the_validation_clause(tmp_path: Path) -> None:
    result = _run(tmp_path, "itrp", "errors.validation-failure", _itrp_with_extra_key, writes=True)
    assert {f.clause for f in result.findings} == {"ITRP-ERR-422"}


def test_a_record_that_does_not_exist_must_not_be_served(tmp_path: Path) -> None:
    def served(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=JSON, json={"id": 1, "name": "Howard"})

    result = _run(tmp_path, "itrp", "errors.unknown-record", served, operation="people.get")
    assert {f.clause for f in result.findings} == {"ITRP-ERR-404"}
    assert "2147483646" in result.findings[0].message


def _bad_param_400(request: httpx.Request) -> httpx.Response:
    return httpx.Response(400, headers=JSON, json={"detail": "bad parameter"})


def test_a_bad_parameter_refused_with_400_is_accepted_leniently_but_not_strictly(
    tmp_path: Path,
) -> None:
    lenient = _run(tmp_path, "toptickets", "errors.bad-parameter", _bad_param_400)
    assert lenient.outcome == "passed", lenient.findings
    strict = _run(tmp_path, "toptickets", "errors.bad-parameter", _bad_param_400, strict=True)
    assert {f.clause for f in strict.findings} == {"TOP-ERR-BAD-PARAM"}


def test_an_undocumented_status_is_reported_against_the_status_set(tmp_path: Path) -> None:
    def teapot(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/tickets"):
            return httpx.Response(200, headers=JSON, json=[])
        return httpx.Response(418, headers=JSON, json={"detail": "I'm a teapot"})

    result = _run(tmp_path, "toptickets", "errors.status-set", teapot)
    assert [f.clause for f in result.findings] == ["TOP-ERR-STATUS-SET"]
    assert "418" in result.findings[0].title


def test_an_error_served_with_200_is_a_failure_disguised_as_success(tmp_path: Path) -> None:
    def disguised(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=JSON, json={"error": "Something went wrong"})

    result = _run(tmp_path, "trackops", "errors.error-in-success", disguised)
    assert {f.clause for f in result.findings} == {"TRK-ERR-HTTP-STATUS"}


def test_an_error_without_a_body_is_accepted_only_in_the_lenient_reading(tmp_path: Path) -> None:
    def bare(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404 if "no-such" in request.url.path else 401)

    lenient = _run(tmp_path, "trackops", "errors.body-shape", bare)
    assert lenient.outcome == "passed", lenient.findings
    strict = _run(tmp_path, "trackops", "errors.body-shape", bare, strict=True)
    assert {f.clause for f in strict.findings} == {"TRK-ERR-MESSAGE"}


def test_an_empty_validation_error_is_reported_where_every_reading_has_a_shape(
    tmp_path: Path,
) -> None:
    def empty(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422)

    result = _run(tmp_path, "toptickets", "errors.body-shape", empty)
    assert {f.clause for f in result.findings} == {"TOP-ERR-422-SHAPE"}
