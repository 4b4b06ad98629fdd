"""Running one envelope or transport check against a small scripted server (no sockets):
an ITRP-like server of bare JSON bodies and a TuriTop-like one of POSTed envelopes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from harness.checks import TargetSession, get_check
from harness.engine import CheckResult, run_check
from tests.support.sessions import fake_session

Handler = Callable[[httpx.Request], httpx.Response]
JSON = "application/json; charset=utf-8"
CREDENTIALS = {
    "itrp": {"api_token": "token-123"},
    "turitop": {"short_id": "C1", "secret_key": "sk"},
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


def session(
    tmp_path: Path, vendor: str, handler: Handler, *, strict: bool = False
) -> TargetSession:
    """A session of ``vendor`` over ``handler`` with the credentials the servers expect."""
    return fake_session(tmp_path, vendor, handler, strict=strict, credentials=CREDENTIALS[vendor])


def run(
    tmp_path: Path,
    vendor: str,
    check: str,
    handler: Handler,
    *,
    strict: bool = False,
    operation: str | None = None,
) -> CheckResult:
    """Run ``check`` once (for ``operation``, if given) against ``handler``."""
    with session(tmp_path, vendor, handler, strict=strict) as opened:
        op = opened.profile.operation(operation) if operation else None
        return run_check(opened, get_check(check), op)


def json_response(status: int, body: Any, content_type: str = JSON) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"content-type": content_type}
    )


def clauses(result: CheckResult) -> set[str]:
    return {f.clause for f in result.findings}


def itrp(body: Any = None, *, error_type: str = JSON, root: Any = None) -> Handler:
    """Bare JSON bodies: the service root, ``/requests``, 401 without credentials, 404."""

    def handle(request: httpx.Request) -> httpx.Response:
        if "authorization" not in request.headers:
            return json_response(401, {"message": "Access credentials required"}, error_type)
        if request.url.path in ("/v1", "/v1/"):
            return json_response(200, {} if root is None else root)
        if request.url.path == "/v1/requests":
            return json_response(200, [REQUEST] if body is None else body)
        return json_response(404, {"message": "Not Found"}, error_type)

    return handle


def turitop(*, failure_status: int = 401, code: Any = None) -> Handler:
    """POSTed JSON in, status/code/message/details/data envelopes out; GET is refused."""

    def envelope(status: str, http: int, data: Any, message: str = "") -> httpx.Response:
        body = {
            "status": status,
            "code": str(http) if code is None else code,
            "message": message,
            "details": None,
            "data": data,
        }
        return json_response(http, body)

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
