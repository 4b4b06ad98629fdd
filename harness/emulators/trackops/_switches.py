"""Names of the Trackops switch faults: behaviours that live in the app (auth decisions,
paging, filters), which it turns on with ``ctx.fault(NAME)``. The catalog that says which
clause each breaks is in ``_faults``."""

from __future__ import annotations

# auth and rate limit (the gate)
AUTH_MISSING_ACCEPTED = "trackops-auth-missing-accepted"
AUTH_MALFORMED_ACCEPTED = "trackops-auth-malformed-accepted"
AUTH_ANY_TOKEN = "trackops-auth-any-token"
AUTH_LIMITED_ALLOWED = "trackops-auth-limited-allowed"
RATE_LIMIT_OFF = "trackops-rate-limit-off"
AUTH_DECISION_CACHED_BY_TOKEN = "trackops-auth-decision-cached-by-token"
REPEAT_WITHIN_2S_THROTTLED = "trackops-repeat-within-2s-throttled"
# paging
PER_PAGE_UNCAPPED = "trackops-per-page-uncapped"
PER_PAGE_OVER_100_REFUSED = "trackops-per-page-over-100-refused"
PER_PAGE_LARGE_AS_100 = "trackops-entries-per-page-large-as-100"
DEFAULT_SORT_ASCENDING = "trackops-default-sort-ascending"
ASC_FIRST_PAGE_DESC = "trackops-asc-first-page-desc"
USERS_SIZE_IGNORED_WITH_DIR = "trackops-users-size-ignored-with-dir"
PAGES_OVERLAP = "trackops-pages-overlap"
SECOND_PAGE_SHORT = "trackops-entries-second-page-short"
PAST_END_404 = "trackops-past-end-404"
# filters and parameters
INVALID_PARAMS_IGNORED = "trackops-invalid-params-ignored"
UNKNOWN_NAMES_IGNORED = "trackops-unknown-names-ignored"
TO_IGNORED = "trackops-created-to-ignored"
UPDATED_RANGE_ON_CREATED = "trackops-updated-range-on-created"
# records
TIMESTAMPS_PLUS_TWO = "trackops-timestamps-plus-two"
