"""Running one auth or token check against a small scripted server (no sockets)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

from harness.checks import get_check
from harness.emulators import vendor_module
from harness.engine import CheckResult, run_check
from tests.support.sessions import fake_session

Handler = Callable[[httpx.Request], httpx.Response]


def credential(vendor: str, name: str) -> str:
    """One of the credentials the target of ``run`` gives (the emulator's)."""
    return vendor_module(vendor).credentials()[name]


def run(
    tmp_path: Path,
    vendor: str,
    check: str,
    handler: Handler,
    *,
    strict: bool = False,
    writes: bool = False,
    credentials: Mapping[str, str] | None = None,
) -> CheckResult:
    """Run ``check`` once against ``handler`` (the emulator's credentials unless given)."""
    session = fake_session(
        tmp_path,
        vendor,
        handler,
        strict=strict,
        allow={"writes": writes},
        credentials=credentials,
    )
    try:
        return run_check(session, get_check(check), None)
    finally:
        session.client.close()


def clauses(result: CheckResult) -> set[str]:
    """The clauses of a result's findings (the check must have run)."""
    assert result.outcome in ("passed", "failed"), result.reason
    return {f.clause for f in result.findings}


def basic_user(request: httpx.Request) -> str | None:
    """The user name of a request's Basic credentials (None without them)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme != "Basic":
        return None
    return base64.b64decode(value).decode().partition(":")[0]


TURI_TOKEN = "a" * 40


def turitop_server(body_ok: bool, bearer_ok: bool, refusal_status: int = 401) -> Handler:
    """TuriTop: grants TURI_TOKEN; serves reads that carry it where allowed."""
    token = TURI_TOKEN

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/v1/authorization/"):
            data = {
                "access_token": token,
                "refresh_token": "r" * 64,
                "company_short_id": credential("turitop", "short_id"),
            }
            return httpx.Response(200, json={"status": "SUCCESS", "code": "200", "data": data})
        body = json.loads(request.content or b"{}")
        in_body = body.get("access_token") == token
        in_header = request.headers.get("authorization") == f"Bearer {token}"
        if (in_body and body_ok) or (in_header and bearer_ok):
            return httpx.Response(
                200, json={"status": "SUCCESS", "code": "200", "data": {"bookings": []}}
            )
        error = {"status": "ERROR", "code": "401", "message": "Unauthorized", "data": {}}
        return httpx.Response(refusal_status, json=error)

    return handler


def itrp_server(
    query_ok: bool, password_ok: bool, refusal: dict[str, object] | None = None
) -> Handler:
    """ITRP: serves the token as Basic user, and (as allowed) the query token and the
    email login; refuses anything else with 401 and ``refusal`` (or a message)."""
    token = credential("itrp", "api_token")
    email = credential("itrp", "email")

    def handler(request: httpx.Request) -> httpx.Response:
        user = basic_user(request)
        if user == token or (user == email and password_ok):
            return httpx.Response(200, json=[{"id": 1}])
        if user is None and query_ok and request.url.params.get("api_token") == token:
            return httpx.Response(200, json=[{"id": 1}])
        return httpx.Response(401, json=refusal or {"message": "Access credentials required"})

    return handler


def trackops_server(missing: int, limited: int) -> Handler:
    """Trackops: refuses no login with ``missing``, the limited user with ``limited``."""
    limited_user = credential("trackops", "limited_username") + "/token"

    def handler(request: httpx.Request) -> httpx.Response:
        user = basic_user(request)
        if user is None:
            return httpx.Response(missing, json={"error": "login"})
        if user == limited_user:
            return httpx.Response(limited, json={"error": "limited"})
        return httpx.Response(200, json=[{"id": 1}])

    return handler
