"""The Turris faults: each a realistic regression that breaks one clause of clauses.toml."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    every_nth,
    json_field,
    off_by,
    on_status,
    rewrite_json,
)
from harness.emulators.turris._faults_auth import AUTH_FAULTS
from harness.emulators.turris._faults_envelope import ENVELOPE_FAULTS
from harness.emulators.turris._faults_token import TOKEN_FAULTS
from harness.emulators.turris._faults_wire import WIRE_FAULTS

# Switch faults: the app consults these names (ctx.fault); the rest are middlewares.
FAULT_REQUEST_ID = "turris-request-id-unprefixed"
FAULT_STATUS_200 = "turris-status-code-always-200"
FAULT_RESET_RELATIVE = "turris-ratelimit-reset-relative"
FAULT_EXPIRED_OK = "turris-expired-token-accepted"
FAULT_KEY_IGNORED = "turris-idempotency-key-ignored"
FAULT_ALT_KEY_IGNORED = "turris-x-idempotency-key-ignored"
FAULT_CONTENT_TYPE = "turris-content-type-not-enforced"

ID_KEYS = frozenset({"_id"})
DATE_KEYS = frozenset(
    {"createdAt", "updatedAt", "lastSynchronizationDate", "issueDate", "expirationDate"}
)
LOCAL = timezone(timedelta(hours=2))


def _success(scope: Scope, status: int) -> bool:
    return 200 <= status < 300


def _error(scope: Scope, status: int) -> bool:
    return status >= 400


def _walk(value: Any, change: Any) -> Any:
    """Apply ``change(key, value)`` to every key of every object below ``value``."""
    if isinstance(value, list):
        return [_walk(item, change) for item in value]
    if isinstance(value, dict):
        return {k: change(k, _walk(v, change)) for k, v in value.items()}
    return value


def _resource_success(scope: Scope, status: int) -> bool:
    return _success(scope, status) and "/auth/" not in scope["path"]


def _double_wrap(body: Any, scope: Scope, status: int) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        return body
    return {k: body[k] for k in ("requestId", "statusCode", "timestamp") if k in body} | {
        "data": body
    }


def _extended_json_ids(body: Any, scope: Scope, status: int) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        return body

    def change(key: str, value: Any) -> Any:
        return {"$oid": value} if key in ID_KEYS and isinstance(value, str) else value

    return {**body, "data": _walk(body["data"], change)}


def _local_offset(text: str) -> str:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(LOCAL)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{moment.microsecond // 1000:03d}+02:00"


def _local_dates(body: Any, scope: Scope, status: int) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        return body

    def change(key: str, value: Any) -> Any:
        if key in DATE_KEYS and isinstance(value, str) and value.endswith("Z"):
            return _local_offset(value)
        return value

    return {**body, "data": _walk(body["data"], change)}


def _no_millis(body: Any, scope: Scope, status: int) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        return body

    def change(key: str, value: Any) -> Any:
        if key in DATE_KEYS and isinstance(value, str) and value.endswith(".000Z"):
            return value.removesuffix(".000Z") + "Z"
        return value

    return {**body, "data": _walk(body["data"], change)}


def _without_status_code(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, dict) and "data" in body:
        return {k: v for k, v in body.items() if k != "statusCode"}
    return body


def _message_string(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, dict) and isinstance(body.get("errorMessage"), list):
        return {**body, "errorMessage": "; ".join(str(m) for m in body["errorMessage"])}
    return body


_BASE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "turris-error-status-code-off-by-one-1-in-3",
        "TRS-ERR-STATUS-MATCH",
        "one error body in three (400, 401, 403 or 404) says a statusCode one above the HTTP "
        "status (404 -> 405); the other errors, 429s and every success body are right",
        json_field("statusCode", off_by(1), when=every_nth(3, on_status(400, 401, 403, 404))),
    ),
    Fault(
        "turris-envelope-double-wrapped",
        "TRS-ENV-SUCCESS-SHAPE",
        "success bodies are wrapped twice (data holds a second {requestId, statusCode, "
        "timestamp, data} envelope) on the resource routes, so no reading finds the "
        "payload (the token endpoint is left intact, so clients can still authenticate)",
        rewrite_json(_double_wrap, when=_resource_success),
    ),
    Fault(
        FAULT_REQUEST_ID,
        "TRS-ENV-REQUESTID-FORMAT",
        "requestId loses its environment prefix: a bare UUID instead of dev-<uuid>",
    ),
    Fault(
        FAULT_STATUS_200,
        "TRS-ENV-STATUSCODE",
        "success bodies say statusCode 200 even on 201 Created responses",
    ),
    Fault(
        "turris-dates-local-offset",
        "TRS-FMT-DATE",
        "record dates (createdAt, lastSynchronizationDate, issueDate, ...) are written in server "
        "local time with a +02:00 offset instead of UTC Z",
        rewrite_json(_local_dates, when=_success),
    ),
    Fault(
        "turris-record-dates-without-millis",
        "TRS-FMT-DATE",
        "record dates that fall on a whole second drop their .000 (2025-03-17T10:15:45Z), as "
        "the envelope examples write them: reading any-precision, not the strict millis",
        rewrite_json(_no_millis, when=_success),
        reading="any-precision",
    ),
    Fault(
        "turris-envelope-without-status-code",
        "TRS-ENV-SUCCESS-SHAPE",
        "success bodies are {requestId, timestamp, data} without statusCode, as the public "
        "reference's examples show: reading wrapped-no-status, not the strict wrapped",
        rewrite_json(_without_status_code, when=_success),
        reading="wrapped-no-status",
    ),
    Fault(
        "turris-ids-extended-json",
        "TRS-FMT-ID",
        'record _id values leak as MongoDB extended JSON {"$oid": "..."} '
        "instead of ObjectId strings",
        rewrite_json(_extended_json_ids, when=_success),
    ),
    Fault(
        "turris-error-message-string",
        "TRS-ERR-MESSAGES",
        "errorMessage is one joined string instead of a list of strings",
        rewrite_json(_message_string, when=_error),
    ),
    Fault(
        FAULT_KEY_IGNORED,
        "TRS-IDEM-REPLAY",
        "the idempotency-key header is ignored: a repeated create makes a second record "
        "(x-idempotency-key still works)",
    ),
    Fault(
        FAULT_ALT_KEY_IGNORED,
        "TRS-IDEM-ALT-HEADER",
        "the x-idempotency-key header is ignored (idempotency-key still works)",
    ),
    Fault(
        FAULT_RESET_RELATIVE,
        "TRS-RL-HEADERS",
        "X-RateLimit-Reset counts the seconds left in the window instead of giving "
        "the Unix time of the reset",
    ),
    Fault(
        FAULT_EXPIRED_OK,
        "TRS-TOKEN-LIFETIME",
        "access tokens are still accepted after their 3600 s lifetime (exp not checked)",
    ),
    Fault(
        FAULT_CONTENT_TYPE,
        "TRS-REQ-CONTENT-TYPE",
        "POST bodies are parsed as JSON whatever the Content-Type, so a write "
        "without application/json is accepted",
    ),
)

FAULTS: tuple[Fault, ...] = (
    _BASE_FAULTS + AUTH_FAULTS + TOKEN_FAULTS + ENVELOPE_FAULTS + WIRE_FAULTS
)
