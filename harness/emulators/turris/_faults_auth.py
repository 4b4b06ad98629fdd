"""Turris faults about who may call: bearer tokens, restricted tokens, the token grant and
check, and the rate limits an app decides (switches the app consults, and middlewares)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    Headers,
    on_operation,
    on_request_header,
    on_status,
    rewriter,
)

# Switch faults: the app consults these names (ctx.fault).
FAULT_ANONYMOUS_READS = "turris-anonymous-reads-served"
FAULT_RESTRICTED_REFUSED = "turris-restricted-token-refused"
FAULT_RESTRICTED_IP_WRONG = "turris-restricted-token-ip-list-empty"
FAULT_MISSING_AS_401 = "turris-grant-missing-fields-401"
FAULT_WRITES_UNLIMITED = "turris-writes-unlimited"
FAULT_READS_LIMITED = "turris-reads-limited-60-per-minute"
FAULT_MALFORMED_400 = "turris-malformed-token-400"
FAULT_UNDECODABLE_500 = "turris-undecodable-token-500"

GRANT = on_operation("POST", "/v1/auth/jwt")
NO_CREDENTIALS = on_request_header("Authorization", present=False) & on_request_header(
    "x-restricted-access-token", present=False
)


def _resource(scope: Scope, status: int) -> bool:
    return "/auth/" not in scope["path"]


def _as_forbidden(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    """A 401 for a call without credentials answered as a consistent 403 forbidden."""
    try:
        data = json.loads(body)
    except ValueError:
        return status, headers, body
    data.update(statusCode=403, errorType="forbidden", errorMessage=["Access denied"])
    new = json.dumps(data).encode()
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return 403, [*kept, (b"content-length", str(len(new)).encode())], new


def _grant_200(body: Any, scope: Scope, status: int) -> Any:
    return {**body, "statusCode": 200} if isinstance(body, dict) else body


def _grant_status_200(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    data = json.loads(body)
    new = json.dumps(_grant_200(data, scope, status)).encode()
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return 200, [*kept, (b"content-length", str(len(new)).encode())], new


AUTH_FAULTS: tuple[Fault, ...] = (
    Fault(
        FAULT_ANONYMOUS_READS,
        "TRS-AUTH-MISSING",
        "GET calls without any credentials are served (a public read path left open); "
        "writes and the token check still refuse them",
        kind="one-operation",
    ),
    Fault(
        "turris-missing-credentials-403",
        "TRS-AUTH-MISSING",
        "a resource call without credentials gets a consistent 403 forbidden body instead "
        "of 401 unauthorized (the token check still answers 401)",
        rewriter(_as_forbidden, when=NO_CREDENTIALS & on_status(401) & _resource),
    ),
    Fault(
        FAULT_MALFORMED_400,
        "TRS-AUTH-INVALID",
        "a bearer token that is not a JWT (not three dot-separated parts) answers 400 "
        "invalid_input instead of 401 on the resource routes (unknown and expired tokens "
        "still get 401)",
        kind="status-specific",
    ),
    Fault(
        FAULT_UNDECODABLE_500,
        "TRS-AUTH-INVALID",
        "the resource routes decode a JWT's claims before checking its signature, and a "
        "payload that does not decode escapes as 500 internal_error instead of 401 (the "
        "token check, GET /auth/test-oauth, still answers 401)",
        kind="status-specific",
    ),
    Fault(
        FAULT_RESTRICTED_REFUSED,
        "TRS-AUTH-RESTRICTED",
        "x-restricted-access-token is refused with 401 as if it were unknown",
    ),
    Fault(
        FAULT_RESTRICTED_IP_WRONG,
        "TRS-AUTH-RESTRICTED",
        "the restricted token's IP allow-list is empty, so every caller gets 403 "
        "forbidden even from an allow-listed address (status-specific: right status, "
        "wrong decision)",
    ),
    Fault(
        "turris-token-grant-200",
        "TRS-TOKEN-GRANT",
        "POST /auth/jwt answers 200 (and says statusCode 200) instead of 201 Created",
        rewriter(_grant_status_200, when=GRANT & on_status(201)),
    ),
    Fault(
        FAULT_MISSING_AS_401,
        "TRS-ERR-INVALID-INPUT",
        "POST /auth/jwt with missing clientId/clientSecret answers 401 invalid "
        "credentials instead of 400 invalid_input",
        kind="status-specific",
    ),
    Fault(
        FAULT_WRITES_UNLIMITED,
        "TRS-RL-WRITE",
        "writes are never refused: the 60-a-minute write limit is not enforced",
    ),
    Fault(
        FAULT_READS_LIMITED,
        "TRS-RL-READS",
        "reads of the main collection are limited to 60 a minute per caller (429 beyond)",
        kind="one-operation",
    ),
)
