"""The TuriTop emulator's faults: each breaks exactly one clause of clauses.toml."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

from harness.emulators._faults import Fault, rewrite_json

# Switch faults: the app consults these names (ctx.fault); the rest are middlewares.
GET_QUERY_HONOURED = "turitop-get-query-honoured"
TOKEN_TWO_HOURS = "turitop-token-two-hours"
EXPIRED_TOKEN_403 = "turitop-expired-token-403"
RENEWED_TOKEN_DEAD = "turitop-renewed-token-dead"
HAS_MORE_ON_LAST_PAGE = "turitop-has-more-on-last-page"
BOOKING_LIMIT_IGNORED = "turitop-booking-limit-ignored"
PRICE_AS_NUMBER = "turitop-price-as-number"
ISO_DATE_HOUR_OFF = "turitop-iso-date-hour-off"
NEVER_BLOCKS = "turitop-never-blocks"
ERROR_MESSAGE_MISSING = "turitop-error-message-missing"


def _error_without_message(body: Any, scope: Scope, status: int) -> Any:
    """A framework-style error: the message moved to an extra ``error`` key, message blank."""
    if isinstance(body, dict) and body.get("status") == "ERROR":
        return {**body, "message": "", "error": body.get("message")}
    return body


FAULTS: tuple[Fault, ...] = (
    Fault(
        GET_QUERY_HONOURED,
        "TURI-HTTP-GET-IGNORED",
        "a GET with a query string (?access_token=...&booking_limit=...) is served as if the "
        "parameters had been POSTed, instead of being refused",
    ),
    Fault(
        TOKEN_TWO_HOURS,
        "TURI-TOKEN-LIFETIME",
        "access tokens are honoured for 2 hours instead of 1",
    ),
    Fault(
        EXPIRED_TOKEN_403,
        "TURI-TOKEN-EXPIRED-401",
        "a call with an expired access token gets 403 (an ERROR envelope with code '403') "
        "instead of 401",
    ),
    Fault(
        RENEWED_TOKEN_DEAD,
        "TURI-TOKEN-REFRESH",
        "/authorization/renew answers SUCCESS but the access token it returns is refused as "
        "unknown (401)",
    ),
    Fault(
        HAS_MORE_ON_LAST_PAGE,
        "TURI-PAGE-HAS-MORE",
        "getbookings says has_more=true on the last page (off by one: false only on the empty "
        "page after it)",
    ),
    Fault(
        BOOKING_LIMIT_IGNORED,
        "TURI-PAGE-BODY",
        "getbookings ignores data.filter.booking_limit and always pages by 100",
    ),
    Fault(
        PRICE_AS_NUMBER,
        "TURI-DATA-BOOKING",
        "bookings carry total_price as a JSON number (45.0) instead of a decimal string",
    ),
    Fault(
        ISO_DATE_HOUR_OFF,
        "TURI-DATA-DATE-EVENT",
        "date_event_iso8601 is one hour later than date_event (local wall time labelled Z)",
    ),
    Fault(
        NEVER_BLOCKS,
        "TURI-RL-BLOCK",
        "the request limit is never enforced: no 429, however many calls",
    ),
    Fault(
        ERROR_MESSAGE_MISSING,
        "TURI-ERR-SHAPE",
        "error envelopes carry an empty message and an extra top-level 'error' key",
        rewrite_json(_error_without_message, when=lambda scope, status: status >= 400),
    ),
)
