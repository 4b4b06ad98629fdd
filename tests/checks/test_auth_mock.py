"""The auth and token checks against small scripted servers (no sockets)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import httpx

from harness.checks import get_check
from harness.engine import CheckResult, open_session, run_check
from harness.targets import load_target

CREDENTIALS = {
    "itrp": {"api_token": "a1b2c3d4e5f6a7b8", "email": "sam@example.com", "password": "pw-1234"},
    "toptickets": {"api_key": "tt_admin_0123456789", "ro_api_key": "tt_ro_0123456789"},
    "trackops": {"username": "sam", "api_token": "tok-12345", "limited_username": "lee"},
    "turitop": {"short_id": "C123", "secret_key": "sk-123456"},
    "turris": {"client_id": "cid-123", "client_secret": "secret-123"},
}
Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json"}


def _run(
    tmp_path: Path,
    vendor: str,
    check: str,
    handler: Handler,
    *,
    strict: bool = False,
    writes: bool = False,
) -> CheckResult:
    path = tmp_path / "target.toml"
    lines = [f'vendor = "{vendor}"', f'base_url = "https://{vendor}.test/v1"', 'mode = "emulator"']
    lines += ["strict = true"] if strict else []
    lines += ["[credentials]"] + [f'{k} = "{v}"' for k, v in CREDENTIALS[vendor].items()]
    lines += ["[allow]", f"writes = {'true' if writes else 'false'}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    session = open_session(load_target(path, environ={}), transport=httpx.MockTransport(handler))
    try:
        return run_check(session, get_check(check), None)
    finally:
        session.client.close()


def _clauses(result: CheckResult) -> set[str]:
    assert result.outcome in ("passed", "failed"), result.reason
    return {f.clause for f in result.findings}


def _basic_user(request: httpx.Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme != "Basic":
        return None
    return base64.b64decode(value).decode().partition(":")[0]


# ------------------------------------------------------------------------- toptickets
def test_a_read_served_without_credentials_is_blamed_on_the_401_clause(tmp_path: Path) -> None:
    result = _run(
        tmp_path, "toptickets", "auth.missing-refused", lambda r: httpx.Response(200, json=[])
    )
    assert _clauses(result) == {"TOP-AUTH-401"}


def test_a_read_only_key_that_can_write_is_found_and_its_record_removed(tmp_path: Path) -> None:
    deleted: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json={"id": "t-1", **json.loads(request.content)})
        if request.method == "DELETE":
            deleted.append(request.url.path)
            return httpx.Response(204)
        return httpx.Response(200, json=[])

    result = _run(tmp_path, "toptickets", "auth.read-only-write-forbidden", handler, writes=True)
    assert _clauses(result) == {"TOP-AUTH-403"}
    assert deleted == ["/v1/tickets/t-1"]


def test_a_403_that_still_creates_the_record_is_found(tmp_path: Path) -> None:
    stored: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            stored.append({"id": "t-1", **json.loads(request.content)})
            return httpx.Response(403, json={"detail": "Insufficient permissions"})
        return httpx.Response(200, json=stored)

    result = _run(tmp_path, "toptickets", "auth.read-only-write-forbidden", handler, writes=True)
    assert [f.title for f in result.findings] == ["refused write changed state"]


def test_a_read_only_write_refused_with_403_and_no_change_passes(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(403, json={"detail": "Insufficient permissions"})
        return httpx.Response(200, json=[{"id": "t-0", "subject": "old"}])

    result = _run(tmp_path, "toptickets", "auth.read-only-write-forbidden", handler, writes=True)
    assert result.outcome == "passed"


# --------------------------------------------------------------------------- trackops
def _trackops(missing: int, limited: int) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        user = _basic_user(request)
        if user is None:
            return httpx.Response(missing, json={"error": "login"})
        if user == "lee/token":
            return httpx.Response(limited, json={"error": "limited"})
        return httpx.Response(200, json=[{"id": 1}])

    return handler


def test_refusing_a_missing_login_with_403_passes_leniently_but_not_strictly(
    tmp_path: Path,
) -> None:
    lenient = _run(tmp_path, "trackops", "auth.missing-refused", _trackops(403, 403))
    strict = _run(tmp_path, "trackops", "auth.missing-refused", _trackops(403, 403), strict=True)
    assert _clauses(lenient) == set()
    assert _clauses(strict) == {"TRK-AUTH-MISSING"}


def test_refusing_a_limited_user_with_401_passes_leniently_but_not_strictly(tmp_path: Path) -> None:
    check = "auth.excluded-user-refused"
    lenient = _run(tmp_path, "trackops", check, _trackops(401, 401))
    strict = _run(tmp_path, "trackops", check, _trackops(401, 401), strict=True)
    served = _run(tmp_path, "trackops", check, _trackops(401, 200))
    assert _clauses(lenient) == set()
    assert _clauses(strict) == {"TRK-AUTH-FULL-ACCESS-ONLY"}
    assert _clauses(served) == {"TRK-AUTH-FULL-ACCESS-ONLY"}


# ---------------------------------------------------------------------------- turitop
TURI_TOKEN = "a" * 40


def _turitop(body_ok: bool, bearer_ok: bool, refusal_status: int = 401) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/v1/authorization/"):
            data = {
                "access_token": TURI_TOKEN,
                "refresh_token": "r" * 64,
                "company_short_id": "C123",
            }
            return httpx.Response(200, json={"status": "SUCCESS", "code": "200", "data": data})
        body = json.loads(request.content or b"{}")
        in_body = body.get("access_token") == TURI_TOKEN
        in_header = request.headers.get("authorization") == f"Bearer {TURI_TOKEN}"
        if (in_body and body_ok) or (in_header and bearer_ok):
            return httpx.Response(
                200, json={"status": "SUCCESS", "code": "200", "data": {"bookings": []}}
            )
        error = {"status": "ERROR", "code": "401", "message": "Unauthorized", "data": {}}
        return httpx.Response(refusal_status, json=error)

    return handler


def test_an_error_envelope_served_with_200_counts_as_a_refusal(tmp_path: Path) -> None:
    result = _run(tmp_path, "turitop", "auth.missing-refused", _turitop(True, True, 200))
    assert _clauses(result) == set()


def test_a_token_accepted_only_as_bearer_passes_leniently_but_not_strictly(tmp_path: Path) -> None:
    check = "auth.schemes-accepted"
    lenient = _run(tmp_path, "turitop", check, _turitop(body_ok=False, bearer_ok=True))
    strict = _run(tmp_path, "turitop", check, _turitop(body_ok=False, bearer_ok=True), strict=True)
    assert _clauses(lenient) == set()
    assert _clauses(strict) == {"TURI-AUTH-TOKEN-BODY"}


def test_a_refused_bearer_reading_alone_is_no_finding(tmp_path: Path) -> None:
    result = _run(tmp_path, "turitop", "auth.schemes-accepted", _turitop(True, False), strict=True)
    assert _clauses(result) == set()


# ------------------------------------------------------------------------------- itrp
def _itrp(query_ok: bool, password_ok: bool, refusal: dict[str, object] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        user = _basic_user(request)
        token = CREDENTIALS["itrp"]["api_token"]
        if user == token or (user == "sam@example.com" and password_ok):
            return httpx.Response(200, json=[{"id": 1}])
        if user is None and query_ok and request.url.params.get("api_token") == token:
            return httpx.Response(200, json=[{"id": 1}])
        return httpx.Response(401, json=refusal or {"message": "Access credentials required"})

    return handler


def test_each_refused_scheme_is_blamed_on_its_own_clause(tmp_path: Path) -> None:
    required, optional = "auth.schemes-accepted", "auth.optional-schemes-accepted"
    no_query = _itrp(query_ok=False, password_ok=True)
    no_password = _itrp(query_ok=True, password_ok=False)
    assert _clauses(_run(tmp_path, "itrp", required, no_query)) == {"ITRP-AUTH-TOKEN-QUERY"}
    assert _clauses(_run(tmp_path, "itrp", optional, no_query)) == set()
    assert _clauses(_run(tmp_path, "itrp", required, no_password)) == set()
    assert _clauses(_run(tmp_path, "itrp", optional, no_password)) == {"ITRP-AUTH-BASIC"}


def test_a_refusal_body_without_the_message_is_found_but_an_extra_key_is_not(
    tmp_path: Path,
) -> None:
    check = "auth.refusal-body"
    without = _run(tmp_path, "itrp", check, _itrp(True, True, {"error": "no"}))
    extra = _run(tmp_path, "itrp", check, _itrp(True, True, {"message": "no", "status": 401}))
    assert _clauses(without) == {"ITRP-AUTH-401"}
    assert _clauses(extra) == set()


# ----------------------------------------------------------------------------- turris
def _turris_grant(data: dict[str, object], wrap: bool = False) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        envelope = {
            "requestId": "dev-1",
            "statusCode": 201,
            "timestamp": "2024-01-01T00:00:00.000Z",
        }
        body: dict[str, object] = {**envelope, "data": data}
        if wrap:
            body = {**envelope, "data": body}
        return httpx.Response(201, json=body)

    return handler


def test_a_grant_with_the_wrong_token_type_is_blamed_on_the_grant_clause(tmp_path: Path) -> None:
    data = {"accessToken": "aaa.bbb.ccc", "expiresIn": 3600, "tokenType": "bearer"}
    result = _run(tmp_path, "turris", "token.grant", _turris_grant(data))
    assert _clauses(result) == {"TRS-TOKEN-GRANT"}


def test_a_grant_whose_payload_sits_elsewhere_is_left_to_the_envelope_checks(
    tmp_path: Path,
) -> None:
    data = {"accessToken": "aaa.bbb.ccc", "expiresIn": 3600, "tokenType": "Bearer"}
    result = _run(tmp_path, "turris", "token.grant", _turris_grant(data, wrap=True))
    assert result.outcome == "skipped"
    assert "/data/data/accessToken" in result.reason


def test_optional_schemes_without_credentials_are_skipped_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "target.toml"
    path.write_text(
        'vendor = "itrp"\nbase_url = "https://itrp.test/v1"\nmode = "emulator"\n'
        '[credentials]\napi_token = "a1b2c3d4e5f6a7b8"\n',
        encoding="utf-8",
    )
    transport = httpx.MockTransport(_itrp(True, True))
    session = open_session(load_target(path, environ={}), transport=transport)
    try:
        result = run_check(session, get_check("auth.optional-schemes-accepted"), None)
    finally:
        session.client.close()
    assert result.outcome == "skipped"
    assert "password-basic" in result.reason
