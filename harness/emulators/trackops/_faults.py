"""The Trackops faults: each breaks exactly one clause of schemas/trackops/clauses.toml.

Most Trackops faults are switches the app consults (``ctx.fault(NAME)``); the rest
rewrite responses from outside.
"""

from __future__ import annotations

from harness.emulators._faults import Fault, on_request_header, on_status, set_status

# Switch faults: the app consults these names (ctx.fault).
AUTH_MISSING_ACCEPTED = "trackops-auth-missing-accepted"
AUTH_ANY_TOKEN = "trackops-auth-any-token"
AUTH_LIMITED_ALLOWED = "trackops-auth-limited-allowed"
RATE_LIMIT_OFF = "trackops-rate-limit-off"
PER_PAGE_UNCAPPED = "trackops-per-page-uncapped"
DEFAULT_SORT_ASCENDING = "trackops-default-sort-ascending"
PAGES_OVERLAP = "trackops-pages-overlap"
TIMESTAMPS_PLUS_TWO = "trackops-timestamps-plus-two"
INVALID_PARAMS_IGNORED = "trackops-invalid-params-ignored"

FAULTS: tuple[Fault, ...] = (
    Fault(
        AUTH_MISSING_ACCEPTED,
        "TRK-AUTH-MISSING",
        "a request without an Authorization header is served (as the default employee), not 401",
    ),
    Fault(
        AUTH_ANY_TOKEN,
        "TRK-AUTH-BAD-TOKEN",
        "a known '{username}/token' user is let in whatever API token comes with it",
    ),
    Fault(
        AUTH_LIMITED_ALLOWED,
        "TRK-AUTH-FULL-ACCESS-ONLY",
        "a Limited Access employee with the company token is served instead of refused with 403",
    ),
    Fault(
        RATE_LIMIT_OFF,
        "TRK-RL-429",
        "the 1 request/second limit is not enforced: requests in the same second never get 429",
    ),
    Fault(
        PER_PAGE_UNCAPPED,
        "TRK-PAGE-MAX-100",
        "per_page above 100 is honoured: a page can hold more than 100 records",
    ),
    Fault(
        DEFAULT_SORT_ASCENDING,
        "TRK-PAGE-DEFAULT-DESC",
        "without dir, collections come oldest first (dir=asc and dir=desc still work)",
    ),
    Fault(
        PAGES_OVERLAP,
        "TRK-PAGE-PAGE",
        "pages after the first start one record early: the last record of page n repeats on "
        "n+1 and the oldest record is never served (page sizes and counts unchanged)",
    ),
    Fault(
        TIMESTAMPS_PLUS_TWO,
        "TRK-TIME-UTC",
        "created/updated are served in the server's zone (+02:00) instead of UTC",
    ),
    Fault(
        INVALID_PARAMS_IGNORED,
        "TRK-PARAM-INVALID-400",
        "unknown parameter names and bad values (dir=sideways, per_page=abc) are silently "
        "ignored (defaults used) instead of 400",
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
)
