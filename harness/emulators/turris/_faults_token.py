"""Turris faults about access tokens after the grant: how an expired token is refused, the
token check (GET /auth/test-oauth) and the token endpoint's rate limit. Switches the app
consults (``ctx.fault``), and one middleware."""

from __future__ import annotations

from harness.emulators._faults import Fault, on_operation, on_request_header, on_status, rewriter
from harness.emulators.turris._faults_wire import restatus

# Switch faults: the app consults these names (ctx.fault).
FAULT_EXPIRED_403 = "turris-expired-token-403"
FAULT_VERIFY_ANY_TOKEN = "turris-test-oauth-any-token"
FAULT_GRANTS_UNLIMITED = "turris-token-grants-unlimited"

TEST_OAUTH = on_operation("GET", "/v1/auth/test-oauth")

TOKEN_FAULTS: tuple[Fault, ...] = (
    Fault(
        FAULT_EXPIRED_403,
        "TRS-AUTH-INVALID",
        "a resource call with an expired access token answers 403 forbidden instead of 401 "
        "(a malformed or unknown token still gets 401)",
        kind="status-specific",
    ),
    Fault(
        FAULT_VERIFY_ANY_TOKEN,
        "TRS-TOKEN-VERIFY",
        "GET /auth/test-oauth answers 200 for any bearer token without verifying it (the "
        "resource routes still verify tokens, and no token still gets 401)",
        kind="one-operation",
    ),
    Fault(
        "turris-test-oauth-missing-token-400",
        "TRS-TOKEN-VERIFY",
        "GET /auth/test-oauth without an Authorization header answers 400 invalid_input "
        "instead of 401 (a bad token still gets 401)",
        rewriter(
            restatus(400, errorType="invalid_input"),
            when=TEST_OAUTH & on_status(401) & on_request_header("Authorization", present=False),
        ),
    ),
    Fault(
        FAULT_GRANTS_UNLIMITED,
        "TRS-RL-TOKEN",
        "the token endpoint counts grants (its X-RateLimit headers run down to 0) but never "
        "refuses one: the 10-a-minute limit is not enforced",
        kind="one-operation",
    ),
)
