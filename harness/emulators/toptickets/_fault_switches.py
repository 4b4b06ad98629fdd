"""The names of the TopTickets switch faults: behaviours that live in the app (auth
decisions, paging, filters, writes), which it consults with ``ctx.fault(NAME)``.

Each is described, with the clause it breaks, in ``_faults_app.py``; the first ten are the
original catalog's (``_faults.py``).
"""

from __future__ import annotations

# ---- the original catalog ----------------------------------------------------------------
OFFSET_SKIPS = "toptickets-offset-skips-one"
LIMIT_CAPPED = "toptickets-limit-capped-100"
FILTERS_OR = "toptickets-filters-or"
RO_WRITE_401 = "toptickets-readonly-write-401"
DELETE_200 = "toptickets-delete-200-body"
ENUM_FILTER_EMPTY = "toptickets-bad-enum-filter-200"

# ---- auth ------------------------------------------------------------------------------
KEY_PREFIX_MATCH = "toptickets-key-matched-by-prefix"
NO_AUTH_403 = "toptickets-missing-key-403"
RO_COLD_START = "toptickets-readonly-first-read-401"
RO_WRITE_EXECUTED = "toptickets-readonly-create-403-but-created"

# ---- paging ----------------------------------------------------------------------------
DEFAULT_50 = "toptickets-default-limit-50"
OVERSIZE_CLAMPED = "toptickets-oversize-limit-clamped"
PAST_END_LAST_PAGE = "toptickets-past-end-repeats-last-page"
BAD_PARAM_400 = "toptickets-bad-paging-param-400"
BAD_PARAM_IGNORED = "toptickets-bad-paging-param-ignored"

# ---- filters ---------------------------------------------------------------------------
STATUS_CLOSED_WITH_RESOLVED = "toptickets-status-closed-includes-resolved"
PRIORITY_URGENT_WITH_HIGH = "toptickets-priority-urgent-includes-high"
SEARCH_FALLBACK = "toptickets-search-no-match-returns-all"

# ---- rate limits -----------------------------------------------------------------------
ADMIN_LIMIT_1000 = "toptickets-admin-limit-1000"
RO_LIMIT_400 = "toptickets-readonly-limit-400"

# ---- writes and bodies -----------------------------------------------------------------
DELETE_KEEPS = "toptickets-delete-204-but-kept"
CREATE_COERCES_PRIORITY = "toptickets-create-bad-priority-coerced"
VALIDATION_FASTAPI = "toptickets-422-fastapi-list"

# ---- statuses --------------------------------------------------------------------------
UNKNOWN_TICKET_403 = "toptickets-never-existing-ticket-403"
UNKNOWN_PATH_410 = "toptickets-unknown-path-410"
