"""The ITRP faults of access: Basic auth, the api_token, 401, the account header and references,
and the language header and codes.

Switches (the constants below) are consulted by the app with ``ctx.fault``; the rest are
middlewares built from the shared blocks."""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    json_field,
    on_operation,
    on_request_header,
    on_status,
    on_success,
    rewrite_json,
    rewriter,
)
from harness.emulators.itrp import _fault_changes as fx
from harness.emulators.itrp._fault_scopes import (
    V1,
    no_callback,
    person_read,
    requests_list,
)

F_QUERY_TOKEN_IGNORED = "itrp-api-token-query-ignored"
F_ACCOUNT_IGNORED_ON_SITES = "itrp-account-header-ignored-on-sites"
F_ANONYMOUS_403 = "itrp-anonymous-gets-403"
F_RESET_SAME_TOKEN = "itrp-reset-returns-the-same-token"
F_RESET_INACTIVE = "itrp-reset-token-not-activated"
F_RESET_KEEPS_OLD = "itrp-reset-keeps-the-old-token"

AUTH: tuple[Fault, ...] = (
    Fault(
        "itrp-password-refused-on-requests",
        "ITRP-AUTH-BASIC",
        "email and password work on /me, but GET /requests refuses them with 401",
        rewriter(
            fx.answer(401, {"message": "Access credentials required"}),
            when=requests_list & fx.password_auth() & no_callback,
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
            when=requests_list
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
        F_ACCOUNT_IGNORED_ON_SITES,
        "ITRP-ACCT-SWITCH",
        "GET /sites ignores X-ITRP-Account (the caller's own sites come back); other reads switch",
        kind="one-operation",
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
        strict=True,  # the codes beyond the example are required in strict mode only
    ),
)
