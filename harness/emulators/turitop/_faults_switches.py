"""TuriTop faults that live in the app: the app consults each by name (``ctx.fault``)."""

from __future__ import annotations

from harness.emulators._faults import Fault
from harness.emulators.turitop._fault_names import (
    BLOCK_STICKS,
    BOOKING_LIMIT_200,
    BOOKING_LIMIT_IGNORED,
    EMPTY_TOKEN_SERVED,
    EXPIRED_TOKEN_400_ON_BOOKINGS,
    EXPIRED_TOKEN_403,
    GET_QUERY_HONOURED,
    GET_SERVED_LIKE_POST,
    HAS_MORE_ON_LAST_PAGE,
    ISO_DATE_HOUR_OFF,
    LIMIT_QUADRUPLED,
    MALFORMED_JSON_500,
    MISSING_TOKEN_SERVED,
    NEVER_BLOCKS,
    PAGES_OVERLAP,
    PRICE_AS_NUMBER,
    REFRESH_TOKEN_30_DAYS,
    RENEWED_AFTER_EXPIRY_DEAD,
    RENEWED_TOKEN_DEAD,
    TOKEN_FIFTY_MINUTES,
    TOKEN_TWO_HOURS,
    UNKNOWN_OPERATION_400,
    UNKNOWN_TOKEN_SERVED,
)

SWITCH_FAULTS: tuple[Fault, ...] = (
    # ------------------------------------------------------------ transport and errors
    Fault(
        GET_QUERY_HONOURED,
        "TURI-HTTP-GET-IGNORED",
        "a GET with a query string (?access_token=...&booking_limit=...) is served as if the "
        "parameters had been POSTed, instead of being refused",
    ),
    Fault(
        GET_SERVED_LIKE_POST,
        "TURI-HTTP-POST",
        "a GET carrying the JSON body is served like the POST (the REST reading); the strict "
        "post-only reading refuses every other method",
        reading="rest",
    ),
    Fault(
        MALFORMED_JSON_500,
        "TURI-ERR-STATUS-CLASS",
        "a body that is not JSON is answered 500 (a server fault) instead of 400",
    ),
    Fault(
        UNKNOWN_OPERATION_400,
        "TURI-ERR-STATUS-CLASS",
        "an unknown module/action is answered 400 instead of 404",
    ),
    # ------------------------------------------------------------ authorization
    Fault(
        MISSING_TOKEN_SERVED,
        "TURI-AUTH-TOKEN-REQUIRED",
        "a call with no access_token at all is served as the seeded account",
    ),
    Fault(
        UNKNOWN_TOKEN_SERVED,
        "TURI-AUTH-TOKEN-REQUIRED",
        "an access_token the server never issued is honoured",
    ),
    Fault(
        EMPTY_TOKEN_SERVED,
        "TURI-AUTH-TOKEN-REQUIRED",
        'an empty access_token ("") is served; a missing one is still refused',
        kind="wrong-value",
    ),
    # ------------------------------------------------------------ token lifecycle
    Fault(TOKEN_TWO_HOURS, "TURI-TOKEN-LIFETIME", "access tokens are honoured for 2 hours, not 1"),
    Fault(
        TOKEN_FIFTY_MINUTES,
        "TURI-TOKEN-LIFETIME",
        "access tokens stop working after 50 minutes instead of an hour",
    ),
    Fault(
        EXPIRED_TOKEN_403,
        "TURI-TOKEN-EXPIRED-401",
        "a call with an expired access token gets 403 (an ERROR envelope with code '403') "
        "instead of 401",
    ),
    Fault(
        EXPIRED_TOKEN_400_ON_BOOKINGS,
        "TURI-TOKEN-EXPIRED-401",
        "getbookings alone answers an expired token with 400 'bad token' instead of 401",
        kind="one-operation",
    ),
    Fault(
        RENEWED_TOKEN_DEAD,
        "TURI-TOKEN-REFRESH",
        "/authorization/renew answers SUCCESS but the access token it returns is refused as "
        "unknown (401)",
    ),
    Fault(
        RENEWED_AFTER_EXPIRY_DEAD,
        "TURI-TOKEN-REPEAT",
        "renewing works while the access token is alive, but once a call was refused for "
        "expiry, the token renewed for that chain is refused too, so the repeat fails",
        kind="status-specific",
    ),
    Fault(
        REFRESH_TOKEN_30_DAYS,
        "TURI-TOKEN-REFRESH-LIFETIME",
        "refresh tokens are refused after 30 days instead of 60",
    ),
    # ------------------------------------------------------------ paging
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
        PAGES_OVERLAP,
        "TURI-PAGE-BODY",
        "each getbookings page after the first starts one booking early, repeating the last "
        "booking of the page before",
        kind="wrong-value",
    ),
    Fault(
        BOOKING_LIMIT_200,
        "TURI-PAGE-MAX",
        "getbookings honours a round booking_limit (200, 300, ... up to 500) past the maximum "
        "of 100; other sizes are still clamped",
        kind="wrong-value",
    ),
    # ------------------------------------------------------------ records
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
    # ------------------------------------------------------------ limits
    Fault(NEVER_BLOCKS, "TURI-RL-BLOCK", "the request limit is never enforced: no 429"),
    Fault(
        LIMIT_QUADRUPLED,
        "TURI-RL-BLOCK",
        "only one call in four is counted, so the block comes at four times the limit",
        kind="intermittent",
    ),
    Fault(
        BLOCK_STICKS,
        "TURI-RL-BLOCK-TEMPORARY",
        "once an account is blocked it stays blocked for a day, not until the window ends",
    ),
)
