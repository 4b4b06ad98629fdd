"""The ITRP faults of the rate limit: X-RateLimit-* headers, the 429 answer, Retry-After.

Switches (the constants below) are consulted by the app with ``ctx.fault``; the rest are
middlewares built from the shared blocks."""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    drop_header,
    every_nth,
    json_field,
    on_status,
    replace_header,
)
from harness.emulators.itrp import _fault_changes as fx
from harness.emulators.itrp._fault_scopes import requests_list

F_RETRY_AFTER_DATE = "itrp-retry-after-http-date"

LIMITS: tuple[Fault, ...] = (
    Fault(
        "itrp-ratelimit-remaining-dropped",
        "ITRP-RL-HEADERS",
        "error responses (4xx/5xx) lose X-RateLimit-Remaining; successes keep it",
        drop_header("X-RateLimit-Remaining", when=lambda scope, status: status >= 400),
    ),
    Fault(
        "itrp-ratelimit-limit-intermittent",
        "ITRP-RL-HEADERS",
        "every second GET /requests answer lacks X-RateLimit-Limit; other answers carry it",
        drop_header("X-RateLimit-Limit", when=every_nth(2, requests_list)),
    ),
    Fault(
        "itrp-ratelimit-limit-5000",
        "ITRP-RL-LIMIT",
        "X-RateLimit-Limit says 5000 although 3600 an hour are enforced",
        replace_header("X-RateLimit-Limit", lambda v: "5000"),
    ),
    Fault(
        "itrp-ratelimit-remaining-counts-double",
        "ITRP-RL-LIMIT",
        "X-RateLimit-Remaining drops by two per request (each call counted twice); the limit "
        "itself is enforced after 3600",
        replace_header("X-RateLimit-Remaining", fx.counted_twice(3600)),
    ),
    Fault(
        "itrp-429-message-reworded",
        "ITRP-RL-429",
        'the 429 body says "Rate limit exceeded" instead of "Too Many Requests"',
        json_field("message", lambda m: "Rate limit exceeded", when=on_status(429)),
    ),
    Fault(
        F_RETRY_AFTER_DATE,
        "ITRP-RL-RETRY-AFTER",
        "429 carries Retry-After as an HTTP date instead of a number of seconds",
    ),
    Fault(
        "itrp-retry-after-fractional",
        "ITRP-RL-RETRY-AFTER",
        'Retry-After on 429 is a decimal ("3000.0"), not a whole number of seconds',
        replace_header("Retry-After", lambda v: f"{v}.0", when=on_status(429)),
    ),
)
