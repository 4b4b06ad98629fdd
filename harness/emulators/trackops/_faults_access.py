"""Trackops faults of access: authentication (Access Points) and the rate limit."""

from __future__ import annotations

import base64
import binascii
import json

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    Headers,
    When,
    on_request_header,
    on_status,
    rewriter,
    set_status,
)
from harness.emulators.trackops import _switches as sw


def _wrong_token(scope: Scope, status: int) -> bool:
    """A well-formed Basic '{username}/token' login whose token was refused (not a missing
    or malformed header, which TRK-AUTH-MISSING judges)."""
    for key, value in scope.get("headers", ()):
        if key.lower() == b"authorization":
            scheme, _, encoded = value.decode("latin-1").partition(" ")
            try:
                user = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                return False
            return scheme.lower() == "basic" and user.endswith("/token")
    return False


WRONG_TOKEN = When(lambda: _wrong_token, "well-formed logins with a wrong token")


def _no_message(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    return status, headers, json.dumps({"status": status}).encode()


FAULTS: tuple[Fault, ...] = (
    Fault(
        sw.AUTH_MISSING_ACCEPTED,
        "TRK-AUTH-MISSING",
        "a request without an Authorization header is served (as the default employee), not 401",
    ),
    Fault(
        sw.AUTH_MALFORMED_ACCEPTED,
        "TRK-AUTH-MISSING",
        "an Authorization header that is not Basic (or not base64) is served as the default "
        "employee; a missing header is still refused",
    ),
    Fault(
        "trackops-anonymous-403",
        "TRK-AUTH-MISSING",
        "a request without credentials is refused with 403 instead of 401 (the any-refusal "
        "reading); a wrong token still gets 401",
        set_status(
            lambda status, scope: 403,
            when=on_status(401) & on_request_header("Authorization", present=False),
        ),
        reading="any-refusal",
    ),
    Fault(
        sw.AUTH_ANY_TOKEN,
        "TRK-AUTH-BAD-TOKEN",
        "a known '{username}/token' user is let in whatever API token comes with it",
    ),
    Fault(
        "trackops-wrong-token-403",
        "TRK-AUTH-BAD-TOKEN",
        "a wrong API token is refused with 403 instead of 401 (the any-refusal reading); "
        "missing credentials still get 401",
        set_status(lambda status, scope: 403, when=on_status(401) & WRONG_TOKEN),
        reading="any-refusal",
    ),
    Fault(
        sw.AUTH_LIMITED_ALLOWED,
        "TRK-AUTH-FULL-ACCESS-ONLY",
        "a Limited Access employee with the company token is served instead of refused with 403",
    ),
    Fault(
        "trackops-limited-401",
        "TRK-AUTH-FULL-ACCESS-ONLY",
        "a Limited Access employee is refused with 401 instead of 403 (the unauthorized reading)",
        set_status(lambda status, scope: 401, when=on_status(403)),
        reading="unauthorized",
    ),
    Fault(
        sw.RATE_LIMIT_OFF,
        "TRK-RL-429",
        "the 1 request/second limit is not enforced: requests in the same second never get 429",
    ),
    Fault(
        "trackops-429-without-message",
        "TRK-RL-429-MESSAGE",
        'a 429 answers {"status": 429}: JSON, but no error message',
        rewriter(_no_message, when=on_status(429)),
    ),
    Fault(
        sw.AUTH_DECISION_CACHED_BY_TOKEN,
        "TRK-AUTH-BASIC-TOKEN",
        "the access decision is cached under the company token (shared by every employee), "
        "not the user: right after a Limited Access employee's 403, the next valid Full "
        "Access login is refused with the same 403, once",
        kind="intermittent",
    ),
    Fault(
        sw.REPEAT_WITHIN_2S_THROTTLED,
        "TRK-RL-ONE-PER-SECOND",
        "a duplicate-request guard: the same URL as the previous request, served less than "
        "2 s before, gets 429 although the calls are a second apart",
        kind="intermittent",
    ),
)
