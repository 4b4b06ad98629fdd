"""TopTickets switch faults added for issue 14: each names one clause and says how the app
breaks it (the app consults the names of ``_fault_switches``)."""

from __future__ import annotations

from harness.emulators._faults import Fault
from harness.emulators.toptickets import _fault_switches as f

APP_FAULTS: tuple[Fault, ...] = (
    # ---- auth --------------------------------------------------------------------------
    Fault(
        f.KEY_PREFIX_MATCH,
        "TOP-AUTH-401",
        "a key is looked up by its shown prefix (tt_admin_ + 8 characters): a wrong key "
        "sharing that prefix is accepted",
        kind="wrong-value",
    ),
    Fault(
        f.NO_AUTH_403,
        "TOP-AUTH-401",
        'a request without Authorization gets 403 {"detail": "Not authenticated"} '
        "(FastAPI HTTPBearer's default) instead of 401",
        kind="status-specific",
    ),
    Fault(
        f.RO_COLD_START,
        "TOP-AUTH-BEARER",
        "the read-only key's first read after start is refused with 401 (a cold key cache); "
        "later reads work",
        kind="intermittent",
    ),
    Fault(
        f.RO_WRITE_EXECUTED,
        "TOP-AUTH-403",
        "a read-only key's create is answered 403, but the ticket is created all the same",
        kind="one-operation",
    ),
    # ---- paging ------------------------------------------------------------------------
    Fault(
        f.DEFAULT_50,
        "TOP-PAGE-DEFAULT",
        "without a limit parameter a list returns 50 records instead of 100",
        kind="wrong-value",
    ),
    Fault(
        f.OVERSIZE_CLAMPED,
        "TOP-PAGE-MAX",
        "limit above 500 is served as 500 records instead of refused with 422",
        reading="clamp",
    ),
    Fault(
        f.PAST_END_LAST_PAGE,
        "TOP-PAGE-END",
        "an offset beyond the end (not just at it) serves the last page again instead of []",
    ),
    Fault(
        f.BAD_PARAM_400,
        "TOP-ERR-BAD-PARAM",
        "a malformed offset or limit (not an oversized one) is refused with 400 instead of 422",
        reading="bad-request",
    ),
    Fault(
        f.BAD_PARAM_IGNORED,
        "TOP-ERR-BAD-PARAM",
        "a non-integer offset or limit is ignored (the default is used) and answered 200",
    ),
    # ---- filters -----------------------------------------------------------------------
    Fault(
        f.STATUS_CLOSED_WITH_RESOLVED,
        "TOP-FILTER-STATUS",
        "status=closed also returns resolved tickets (one value of the filter is wrong)",
        kind="wrong-value",
    ),
    Fault(
        f.PRIORITY_URGENT_WITH_HIGH,
        "TOP-FILTER-PRIORITY",
        "priority=urgent also returns high-priority tickets (one value of the filter is wrong)",
        kind="wrong-value",
    ),
    Fault(
        f.SEARCH_FALLBACK,
        "TOP-FILTER-SEARCH",
        "a search that matches nothing returns the whole unfiltered list instead of []",
    ),
    # ---- rate limits -------------------------------------------------------------------
    Fault(
        f.ADMIN_LIMIT_1000,
        "TOP-RL-ADMIN",
        "the admin key (tt_admin_) is throttled after 1000 requests a minute instead of 2000",
        kind="wrong-value",
    ),
    Fault(
        f.RO_LIMIT_400,
        "TOP-RL-RO",
        "the read-only key (tt_ro_) gets 400 requests a minute instead of 200",
        kind="wrong-value",
    ),
    # ---- writes and bodies -------------------------------------------------------------
    Fault(
        f.DELETE_KEEPS,
        "TOP-STATUS-204",
        "DELETE answers 204 but the ticket stays readable",
        kind="one-operation",
    ),
    Fault(
        f.CREATE_COERCES_PRIORITY,
        "TOP-DATA-ENUM-422",
        "a create with an unknown priority is accepted (201) with priority medium instead of 422",
        kind="one-operation",
    ),
    Fault(
        f.VALIDATION_FASTAPI,
        "TOP-ERR-422-SHAPE",
        "422 bodies carry FastAPI's list of {loc, msg, type} problems, not a message string",
        reading="fastapi",
    ),
    # ---- statuses ----------------------------------------------------------------------
    Fault(
        f.UNKNOWN_TICKET_403,
        "TOP-STATUS-404",
        "a ticket id that never existed answers 403 (the permission check runs before the "
        "lookup); a deleted ticket still answers 404",
        kind="one-operation",
    ),
    Fault(
        f.UNKNOWN_PATH_410,
        "TOP-ERR-STATUS-SET",
        "a path no route serves answers 410 Gone (undocumented) instead of 404",
        kind="status-specific",
    ),
)
