"""The names of the TuriTop faults the app consults (``ctx.fault(NAME)``).

The behaviour of these lives in the app (token decisions, paging, the rate limiter);
``_faults_switches`` describes each one. Middleware faults need no name here.
"""

from __future__ import annotations

# transport and errors
GET_QUERY_HONOURED = "turitop-get-query-honoured"
GET_SERVED_LIKE_POST = "turitop-get-served-like-post"
MALFORMED_JSON_500 = "turitop-malformed-json-500"
UNKNOWN_OPERATION_400 = "turitop-unknown-operation-400"
# authorization and tokens
MISSING_TOKEN_SERVED = "turitop-missing-token-served"
UNKNOWN_TOKEN_SERVED = "turitop-unknown-token-served"
EMPTY_TOKEN_SERVED = "turitop-empty-token-served"
TOKEN_TWO_HOURS = "turitop-token-two-hours"
TOKEN_FIFTY_MINUTES = "turitop-token-fifty-minutes"
EXPIRED_TOKEN_403 = "turitop-expired-token-403"
EXPIRED_TOKEN_400_ON_BOOKINGS = "turitop-expired-token-400-on-bookings"
RENEWED_TOKEN_DEAD = "turitop-renewed-token-dead"
RENEWED_AFTER_EXPIRY_DEAD = "turitop-renewed-after-expiry-dead"
REFRESH_TOKEN_30_DAYS = "turitop-refresh-token-30-days"
# paging
HAS_MORE_ON_LAST_PAGE = "turitop-has-more-on-last-page"
BOOKING_LIMIT_IGNORED = "turitop-booking-limit-ignored"
PAGES_OVERLAP = "turitop-pages-overlap"
BOOKING_LIMIT_200 = "turitop-round-booking-limit-honoured"
# records
PRICE_AS_NUMBER = "turitop-price-as-number"
ISO_DATE_HOUR_OFF = "turitop-iso-date-hour-off"
# limits
NEVER_BLOCKS = "turitop-never-blocks"
LIMIT_QUADRUPLED = "turitop-limit-quadrupled"
BLOCK_STICKS = "turitop-block-sticks"
