"""The ITRP emulator's faults: each breaks exactly one clause of schemas/itrp/clauses.toml."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

from harness.emulators._faults import Fault, drop_header, rewrite_json

# Switch faults: the app consults these names (ctx.fault); the rest are middlewares.
F_NEXT_ON_LAST = "itrp-link-next-on-last-page"
F_PAGE_SIZE_25 = "itrp-default-page-size-25"
F_PER_PAGE_ZERO = "itrp-per-page-zero-accepted"
F_PUT_REJECTED = "itrp-put-rejected"
F_JSONP_LINK_RAW = "itrp-jsonp-link-unparsed"
F_QUERY_TOKEN_IGNORED = "itrp-api-token-query-ignored"
F_ETAG_IGNORED = "itrp-if-none-match-ignored"
F_RETRY_AFTER_DATE = "itrp-retry-after-http-date"


def _ids_as_strings(data: Any, scope: Scope, status: int) -> Any:
    if isinstance(data, list):
        return [_ids_as_strings(item, scope, status) for item in data]
    if isinstance(data, dict):
        return {
            k: str(v) if k == "id" and isinstance(v, int) else _ids_as_strings(v, scope, status)
            for k, v in data.items()
        }
    return data


def _errors_as_objects(data: Any, scope: Scope, status: int) -> Any:
    if isinstance(data, dict) and isinstance(data.get("errors"), list):
        data["errors"] = [
            {"attribute": e[0], "message": e[1]} if isinstance(e, list) and len(e) == 2 else e
            for e in data["errors"]
        ]
    return data


def _with_status_key(data: Any, scope: Scope, status: int) -> Any:
    if isinstance(data, dict) and "message" in data:
        data["status"] = status
    return data


FAULTS: tuple[Fault, ...] = (
    Fault(
        "itrp-ratelimit-remaining-dropped",
        "ITRP-RL-HEADERS",
        "error responses (4xx/5xx) lose X-RateLimit-Remaining; successes keep it",
        drop_header("X-RateLimit-Remaining", when=lambda scope, status: status >= 400),
    ),
    Fault(
        F_RETRY_AFTER_DATE,
        "ITRP-RL-RETRY-AFTER",
        "429 carries Retry-After as an HTTP date instead of a number of seconds",
    ),
    Fault(
        F_NEXT_ON_LAST,
        "ITRP-PAGE-LINK",
        'the last page of a collection still has a rel="next" link (to an empty page)',
    ),
    Fault(
        F_PAGE_SIZE_25,
        "ITRP-PAGE-DEFAULT-SIZE",
        "without per_page a page holds 25 records instead of 20",
    ),
    Fault(
        F_PER_PAGE_ZERO,
        "ITRP-PAGE-BAD-SIZE",
        "per_page below 1 (0, -10) is served with the default size instead of a 400",
    ),
    Fault(
        "itrp-ids-as-strings",
        "ITRP-ENV-INTEGER-IDS",
        'record and reference ids in success bodies are JSON strings ("13" for 13)',
        rewrite_json(_ids_as_strings, when=lambda scope, status: status < 400),
    ),
    Fault(
        "itrp-422-errors-as-objects",
        "ITRP-ERR-422",
        'validation errors are {"attribute", "message"} objects instead of [field, message] pairs',
        rewrite_json(_errors_as_objects, when=lambda scope, status: status == 422),
    ),
    Fault(
        F_PUT_REJECTED,
        "ITRP-HTTP-PUT",
        "PUT on a record answers 405 Method Not Allowed although PATCH works",
    ),
    Fault(
        F_JSONP_LINK_RAW,
        "ITRP-JSONP-META",
        "JSON-P meta carries Link as the raw header string, not [url, {rel}] pairs",
    ),
    Fault(
        F_QUERY_TOKEN_IGNORED,
        "ITRP-AUTH-TOKEN-QUERY",
        "the ?api_token= query parameter is ignored (401); Basic auth still works",
    ),
    Fault(
        F_ETAG_IGNORED,
        "ITRP-HTTP-304",
        "If-None-Match (and Etag) with the current tag still gets 200 and the full body",
    ),
    Fault(
        "itrp-error-status-key",
        "ITRP-ERR-BODY",
        'error bodies (except 422 and 429) gain a "status" key beside "message"',
        rewrite_json(
            _with_status_key, when=lambda scope, status: status >= 400 and status not in (422, 429)
        ),
    ),
)
