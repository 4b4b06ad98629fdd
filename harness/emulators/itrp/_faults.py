"""The ITRP emulator's faults: each breaks exactly one clause of schemas/itrp/clauses.toml.

Switch faults (a name constant below, consulted by the app with ``ctx.fault``) break what
lives in the app (paging, auth decisions, writes); the rest are middlewares built from the
shared blocks, with the ITRP-specific body and header changes in ``_fault_changes``.
"""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    drop_header,
    every_nth,
    json_field,
    off_by,
    on_errors,
    on_operation,
    on_request_header,
    on_status,
    on_success,
    replace_header,
    rewrite_json,
    rewriter,
    set_status,
)
from harness.emulators.itrp import _fault_changes as fx

# Switch faults: the app consults these names (ctx.fault); the rest are middlewares.
F_NEXT_ON_LAST = "itrp-link-next-on-last-page"
F_PAGE_SIZE_25 = "itrp-default-page-size-25"
F_PEOPLE_PAGE_SIZE_30 = "itrp-people-default-page-size-30"
F_PER_PAGE_ZERO = "itrp-per-page-zero-accepted"
F_PAGE_OVERLAP = "itrp-next-page-repeats-a-record"
F_PER_PAGE_CAPPED = "itrp-per-page-capped-at-50"
F_PUT_REJECTED = "itrp-put-rejected"
F_PUT_IGNORED = "itrp-put-ignores-the-body"
F_PATCH_RESETS = "itrp-patch-resets-category"
F_CREATE_DEFAULTS = "itrp-create-without-category-accepted"
F_JSONP_LINK_RAW = "itrp-jsonp-link-unparsed"
F_JSONP_STATUS_TEXT = "itrp-jsonp-status-as-string"
F_JSONP_ERRORS_PLAIN = "itrp-jsonp-errors-unwrapped"
F_QUERY_TOKEN_IGNORED = "itrp-api-token-query-ignored"
F_ANONYMOUS_403 = "itrp-anonymous-gets-403"
F_RESET_SAME_TOKEN = "itrp-reset-returns-the-same-token"
F_RESET_INACTIVE = "itrp-reset-token-not-activated"
F_RESET_KEEPS_OLD = "itrp-reset-keeps-the-old-token"
F_ETAG_IGNORED = "itrp-if-none-match-ignored"
F_ONLY_ETAG_HEADER = "itrp-only-etag-request-header"
F_RETRY_AFTER_DATE = "itrp-retry-after-http-date"

V1 = "/v1"
KNOWN = tuple(f"{V1}{p}" for p in ("/me", "/requests", "/people", "/sites", "/enums", "/account"))
no_callback = fx.query_has("callback", present=False)
people_list = on_operation("GET", f"{V1}/people")
sites_list = on_operation("GET", f"{V1}/sites")
person_read = on_operation("GET", f"{V1}/people/{{id}}")
create = on_operation("POST", f"{V1}/requests")

ENVELOPE: tuple[Fault, ...] = (
    Fault(
        "itrp-service-root-not-empty",
        "ITRP-ENV-ROOT",
        'GET /v1 answers {"version": "v1"} instead of an empty object',
        rewrite_json(fx.root_with_version, when=on_operation("GET", V1)),
    ),
    Fault(
        "itrp-error-charset-latin1",
        "ITRP-ENV-CONTENT-TYPE",
        "error responses say charset=iso-8859-1; successes keep utf-8",
        replace_header("Content-Type", lambda v: v.replace("utf-8", "iso-8859-1"), on_errors),
    ),
    Fault(
        "itrp-requests-without-charset",
        "ITRP-ENV-CONTENT-TYPE",
        "GET /requests answers Content-Type application/json without the charset",
        replace_header(
            "Content-Type",
            lambda v: v.split(";")[0],
            on_operation("GET", f"{V1}/requests") & no_callback,
        ),
    ),
    Fault(
        "itrp-person-wrapped",
        "ITRP-ENV-BARE",
        'GET /people/{id} wraps a record of the own account as {"person": {...}}',
        rewrite_json(fx.home_records(fx.wrapped_in("person")), when=person_read & on_success),
    ),
    Fault(
        "itrp-ids-as-strings",
        "ITRP-ENV-INTEGER-IDS",
        'record and reference ids in success bodies are JSON strings ("13" for 13)',
        rewrite_json(fx.ids_as_strings, when=lambda scope, status: status < 400),
    ),
    Fault(
        "itrp-reference-ids-as-strings",
        "ITRP-ENV-INTEGER-IDS",
        "GET /people: ids inside references (site) are strings; record ids stay integers",
        rewrite_json(fx.reference_ids_as_strings, when=people_list & on_success),
    ),
    Fault(
        "itrp-json-suffix-not-found",
        "ITRP-ENV-JSON-SUFFIX",
        "a path ending in .json answers 404 instead of the same JSON as without it",
        rewriter(fx.answer(404, {"message": "Not Found"}), when=fx.path_ends(".json")),
    ),
    Fault(
        "itrp-fields-drop-the-id",
        "ITRP-ENV-FIELDS",
        "?fields= keeps the named attributes but leaves out the id",
        rewrite_json(fx.records_without_id, when=fx.query_has("fields") & on_success),
    ),
)

VERBS: tuple[Fault, ...] = (
    Fault(
        "itrp-create-answers-empty-object",
        "ITRP-HTTP-POST",
        "POST /requests creates the record but answers 201 with {} instead of it",
        rewriter(fx.answer(201, {}), when=create & on_status(201)),
    ),
    Fault(
        "itrp-create-truncates-subject",
        "ITRP-HTTP-POST",
        "the 201 answer of POST /requests shows the subject cut to 12 characters",
        json_field("subject", fx.truncated(12), when=create & on_status(201)),
    ),
    Fault(
        F_PATCH_RESETS,
        "ITRP-HTTP-PATCH",
        "PATCH without category puts the category back to 'other'",
    ),
    Fault(
        F_PUT_REJECTED,
        "ITRP-HTTP-PUT",
        "PUT on a record answers 405 Method Not Allowed although PATCH works",
    ),
    Fault(
        F_PUT_IGNORED,
        "ITRP-HTTP-PUT",
        "PUT answers 200 with the record but changes nothing; PATCH works",
    ),
    Fault(
        "itrp-put-answers-empty-200",
        "ITRP-HTTP-204",
        "PUT on a record answers 200 with an empty body (as the document's 204 example shows)",
        rewriter(
            fx.answer(200, None), when=on_operation("PUT", f"{V1}/requests/{{id}}") & on_success
        ),
        reading="200-allowed",
    ),
    Fault(
        F_ETAG_IGNORED,
        "ITRP-HTTP-304",
        "If-None-Match (and Etag) with the current tag still gets 200 and the full body",
    ),
    Fault(
        F_ONLY_ETAG_HEADER,
        "ITRP-HTTP-304",
        "only a request header named Etag gets 304; If-None-Match is ignored",
        reading="etag-request-header",
    ),
)

ACCESS: tuple[Fault, ...] = (
    Fault(
        "itrp-password-refused-on-requests",
        "ITRP-AUTH-BASIC",
        "email and password work on /me, but GET /requests refuses them with 401",
        rewriter(
            fx.answer(401, {"message": "Access credentials required"}),
            when=on_operation("GET", f"{V1}/requests") & fx.password_auth() & no_callback,
        ),
    ),
    Fault(
        F_QUERY_TOKEN_IGNORED,
        "ITRP-AUTH-TOKEN-QUERY",
        "the ?api_token= query parameter is ignored (401); Basic auth still works",
    ),
    Fault(
        "itrp-query-token-refused-on-requests",
        "ITRP-AUTH-TOKEN-QUERY",
        "?api_token= works elsewhere but GET /requests refuses it with 401",
        rewriter(
            fx.answer(401, {"message": "Access credentials required"}),
            when=on_operation("GET", f"{V1}/requests")
            & fx.query_has("api_token")
            & on_request_header("Authorization", present=False)
            & no_callback,
        ),
    ),
    Fault(
        "itrp-me-hides-api-token",
        "ITRP-AUTH-ME-TOKEN",
        "GET /me authenticated with email and password leaves out api_token",
        rewrite_json(fx.without_key("api_token"), when=on_operation("GET", f"{V1}/me")),
    ),
    Fault(
        F_RESET_SAME_TOKEN,
        "ITRP-AUTH-RESET",
        "POST /me/reset_api_token answers 200 with the unchanged token",
    ),
    Fault(
        F_RESET_INACTIVE,
        "ITRP-AUTH-RESET",
        "the reset shows a new token that is never activated (401); the old one keeps working",
    ),
    Fault(
        F_RESET_KEEPS_OLD,
        "ITRP-AUTH-RESET",
        "the reset issues a new token but the replaced one keeps working too",
        strict=True,
    ),
    Fault(
        F_ANONYMOUS_403,
        "ITRP-AUTH-401",
        "a request without credentials answers 403 instead of 401",
    ),
    Fault(
        "itrp-wrong-token-gets-404",
        "ITRP-AUTH-401",
        "Basic auth with an unknown token answers 404 Not Found (hiding the API) instead of 401",
        rewriter(
            fx.answer(404, {"message": "Not Found"}),
            when=on_status(401) & on_request_header("Authorization") & no_callback,
        ),
    ),
    Fault(
        "itrp-account-header-refused-on-sites",
        "ITRP-ACCT-SWITCH",
        "GET /sites with X-ITRP-Account naming a trusted account answers 403; other reads switch",
        rewriter(
            fx.answer(403, {"message": "Forbidden"}),
            when=sites_list & on_request_header("X-ITRP-Account") & on_success,
        ),
    ),
    Fault(
        "itrp-account-reference-without-name",
        "ITRP-ACCT-REF",
        "GET /people/{id}: account objects carry the id but not the name",
        json_field("account", fx.account_id_only, when=person_read & on_success),
    ),
    Fault(
        "itrp-enums-ignore-language-header",
        "ITRP-LANG-HEADER",
        "GET /enums answers in the user's language whatever X-ITRP-Language asks",
        rewrite_json(
            fx.enums_in_default_language,
            when=on_operation("GET", f"{V1}/enums") & on_request_header("X-ITRP-Language"),
        ),
    ),
    Fault(
        "itrp-language-codes-incomplete",
        "ITRP-LANG-CODES",
        "the language list of /enums leaves out the documented codes da and et",
        rewrite_json(fx.languages_without("da", "et"), when=on_operation("GET", f"{V1}/enums")),
    ),
    Fault(
        F_JSONP_ERRORS_PLAIN,
        "ITRP-JSONP-WRAP",
        "?callback= wraps successes, but error answers come back as plain JSON",
    ),
    Fault(
        "itrp-jsonp-as-javascript",
        "ITRP-JSONP-WRAP",
        "JSON-P answers are labelled application/javascript",
        replace_header(
            "Content-Type",
            lambda v: "application/javascript; charset=utf-8",
            when=fx.query_has("callback"),
        ),
        reading="javascript",
    ),
    Fault(
        F_JSONP_LINK_RAW,
        "ITRP-JSONP-META",
        "JSON-P meta carries Link as the raw header string, not [url, {rel}] pairs",
    ),
    Fault(
        F_JSONP_STATUS_TEXT,
        "ITRP-JSONP-META",
        'JSON-P meta gives the status as a string ("200")',
    ),
)

PAGING: tuple[Fault, ...] = (
    Fault(
        F_NEXT_ON_LAST,
        "ITRP-PAGE-LINK",
        'the last page of a collection still has a rel="next" link (to an empty page)',
    ),
    Fault(
        "itrp-people-link-without-first",
        "ITRP-PAGE-LINK",
        'GET /people answers a Link header without the rel="first" entry',
        replace_header("Link", fx.link_without_relation("first"), when=people_list),
    ),
    Fault(
        "itrp-sites-current-page-off-by-one",
        "ITRP-PAGE-HEADERS",
        "GET /sites reports X-Pagination-Current-Page one higher than the page served",
        replace_header("X-Pagination-Current-Page", off_by(1), when=sites_list),
    ),
    Fault(
        "itrp-people-per-page-header-dropped",
        "ITRP-PAGE-HEADERS",
        "one GET /people answer in three lacks X-Pagination-Per-Page",
        drop_header("X-Pagination-Per-Page", when=every_nth(3, people_list)),
    ),
    Fault(
        F_PAGE_SIZE_25,
        "ITRP-PAGE-DEFAULT-SIZE",
        "without per_page a page holds 25 records instead of 20",
    ),
    Fault(
        F_PEOPLE_PAGE_SIZE_30,
        "ITRP-PAGE-DEFAULT-SIZE",
        "without per_page GET /people serves 30 records a page; other collections 20",
        kind="one-operation",
    ),
    Fault(
        F_PAGE_OVERLAP,
        "ITRP-PAGE-PARAMS",
        "every page after the first starts with the last record of the page before",
    ),
    Fault(
        F_PER_PAGE_CAPPED,
        "ITRP-PAGE-PARAMS",
        "a per_page above 50 is served as 50 records while the headers echo what was asked",
    ),
    Fault(
        F_PER_PAGE_ZERO,
        "ITRP-PAGE-BAD-SIZE",
        "per_page below 1 (0, -10) is served with the default size instead of a 400",
    ),
    Fault(
        "itrp-bad-per-page-message-generic",
        "ITRP-PAGE-BAD-SIZE",
        'a per_page below 1 gets 400 {"message": "Bad Request"}, not naming the parameter',
        json_field(
            "message",
            lambda m: "Bad Request",
            when=on_status(400) & fx.query_has("per_page") & no_callback,
        ),
    ),
    Fault(
        "itrp-sites-link-relative",
        "ITRP-PAGE-ABSOLUTE",
        "GET /sites answers Link URLs as paths (</v1/sites?page=2...>), not absolute URLs",
        replace_header("Link", fx.link_relative, when=sites_list),
    ),
    Fault(
        "itrp-people-total-entries-off-by-one",
        "ITRP-PAGE-TOTALS",
        "GET /people reports X-Pagination-Total-Entries one lower than the records it walks",
        replace_header("X-Pagination-Total-Entries", off_by(-1), when=people_list),
    ),
)

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
        "one response in five lacks X-RateLimit-Limit",
        drop_header("X-RateLimit-Limit", when=every_nth(5)),
    ),
    Fault(
        "itrp-ratelimit-limit-5000",
        "ITRP-RL-LIMIT",
        "X-RateLimit-Limit says 5000 although 3600 an hour are enforced",
        replace_header("X-RateLimit-Limit", lambda v: "5000"),
    ),
    Fault(
        "itrp-ratelimit-remaining-frozen",
        "ITRP-RL-LIMIT",
        "X-RateLimit-Remaining stays at 3599 whatever has been used",
        replace_header("X-RateLimit-Remaining", lambda v: "3599"),
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

ERRORS: tuple[Fault, ...] = (
    Fault(
        "itrp-error-status-key",
        "ITRP-ERR-BODY",
        'error bodies (except 422 and 429) gain a "status" key beside "message"',
        rewrite_json(
            fx.with_key("status", lambda status: status),
            when=lambda scope, status: status >= 400 and status not in (422, 429),
        ),
    ),
    Fault(
        "itrp-406-error-code",
        "ITRP-ERR-BODY",
        '406 bodies gain an "error" code beside the message',
        rewrite_json(fx.with_key("error", lambda status: "not_acceptable"), when=on_status(406)),
    ),
    Fault(
        "itrp-invalid-json-read-as-empty",
        "ITRP-ERR-400",
        "POST /requests with a body that is not JSON answers 422 (read as empty), not 400",
        rewriter(fx.invalid_json_as_empty, when=create & on_status(400)),
    ),
    Fault(
        "itrp-unknown-person-403",
        "ITRP-ERR-404",
        "GET /people/{id} of an id that does not exist answers 403 instead of 404",
        set_status(lambda status, scope: 403, when=person_read & on_status(404) & no_callback),
    ),
    Fault(
        "itrp-unknown-path-400",
        "ITRP-ERR-404",
        'an unknown path answers 400 {"message": "Bad Request"} instead of 404',
        rewriter(
            fx.answer(400, {"message": "Bad Request"}),
            when=fx.unknown_path(KNOWN) & on_status(404) & no_callback,
        ),
    ),
    Fault(
        "itrp-billing-not-found",
        "ITRP-ERR-406",
        "GET /account/billing answers 404 instead of 406",
        rewriter(
            fx.answer(404, {"message": "Not Found"}),
            when=on_operation("GET", f"{V1}/account/billing") & no_callback,
        ),
    ),
    Fault(
        F_CREATE_DEFAULTS,
        "ITRP-ERR-422",
        "a create without category is accepted (201) with category 'other' instead of a 422",
    ),
    Fault(
        "itrp-422-errors-as-objects",
        "ITRP-ERR-422",
        'validation errors are {"attribute", "message"} objects instead of [field, message] pairs',
        rewrite_json(fx.errors_as_objects, when=lambda scope, status: status == 422),
    ),
    Fault(
        "itrp-422-errors-by-field",
        "ITRP-ERR-422",
        'validation errors grouped by field ({"subject": [...]}) instead of pairs',
        rewrite_json(fx.errors_by_field, when=create & on_status(422)),
    ),
)

FAULTS: tuple[Fault, ...] = (*ENVELOPE, *VERBS, *ACCESS, *PAGING, *LIMITS, *ERRORS)
