"""What every Turris response shares: request ids, timestamps, envelopes, errors, limits.

The success envelope is the strict reading "wrapped" of TRS-ENV-SUCCESS-SHAPE,
``{requestId, statusCode, timestamp, data}``; errors are exactly
``{statusCode, requestId, errorType, errorMessage: [..], timestamp}``.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import json_response
from harness.emulators._ratelimit import Decision
from harness.emulators.turris._faults import (
    FAULT_REQUEST_ID,
    FAULT_RESET_RELATIVE,
    FAULT_STATUS_200,
)

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
UUID_V4 = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)

_FALLBACK_TYPES = {
    400: "invalid_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    429: "rate_limit_exceeded",
    500: "internal_error",
}


def stamp_ms(millis: int) -> str:
    """``2025-03-17T10:15:45.000Z`` from integer milliseconds since the epoch."""
    moment = datetime.fromtimestamp(millis // 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{millis % 1000:03d}Z"


def now_ms(ctx: EmulatorContext) -> int:
    return math.floor(ctx.clock.now() * 1000)


def request_id(ctx: EmulatorContext) -> str:
    """``dev-<uuid4>``, the sandbox form of the requestId."""
    value = str(uuid.uuid4())
    return value if ctx.fault(FAULT_REQUEST_ID) else f"dev-{value}"


def ok(
    ctx: EmulatorContext, data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A wrapped success body; statusCode equals the HTTP status."""
    body = {
        "requestId": request_id(ctx),
        "statusCode": 200 if ctx.fault(FAULT_STATUS_200) else status,
        "timestamp": stamp_ms(now_ms(ctx)),
        "data": data,
    }
    return json_response(ctx, body, status, headers)


def error_body(ctx: EmulatorContext, status: int, messages: list[str]) -> dict[str, Any]:
    types = ctx.profile.features.get("errors", {}).get("types", {})
    return {
        "statusCode": status,
        "requestId": request_id(ctx),
        "errorType": types.get(str(status), _FALLBACK_TYPES.get(status, "internal_error")),
        "errorMessage": list(messages),
        "timestamp": stamp_ms(now_ms(ctx)),
    }


def fail(
    ctx: EmulatorContext,
    status: int,
    *messages: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """The documented error body with the errorType of the status."""
    return json_response(ctx, error_body(ctx, status, list(messages)), status, headers)


def rate_headers(ctx: EmulatorContext, decision: Decision) -> dict[str, str]:
    """X-RateLimit-Limit/Remaining/Reset (Unix seconds), plus Retry-After when refused."""
    names = ctx.profile.rate_limit.headers
    reset = decision.reset_epoch
    if ctx.fault(FAULT_RESET_RELATIVE):
        reset = max(1, math.ceil(decision.reset_at - ctx.clock.now()))
    headers = {
        names.get("limit", "X-RateLimit-Limit"): str(decision.limit),
        names.get("remaining", "X-RateLimit-Remaining"): str(decision.remaining),
        names.get("reset", "X-RateLimit-Reset"): str(reset),
    }
    if not decision.allowed:
        headers["Retry-After"] = str(decision.retry_after)
    return headers


def too_many(ctx: EmulatorContext, decision: Decision, what: str) -> Response:
    return fail(
        ctx,
        429,
        f"Rate limit exceeded for {what}: {decision.limit} requests per minute; "
        f"retry in {decision.retry_after} seconds",
        headers=rate_headers(ctx, decision),
    )
