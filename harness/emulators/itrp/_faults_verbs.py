"""The ITRP faults of the HTTP verbs: POST, PATCH, PUT and conditional GET (304).

Switches (the constants below) are consulted by the app with ``ctx.fault``; the rest are
middlewares built from the shared blocks."""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    json_field,
    on_operation,
    on_status,
    on_success,
    rewriter,
)
from harness.emulators.itrp import _fault_changes as fx
from harness.emulators.itrp._fault_scopes import (
    V1,
    create,
)

F_PUT_REJECTED = "itrp-put-rejected"
F_PUT_IGNORED = "itrp-put-ignores-the-body"
F_PATCH_RESETS = "itrp-patch-resets-category"
F_ETAG_IGNORED = "itrp-if-none-match-ignored"
F_ONLY_ETAG_HEADER = "itrp-only-etag-request-header"

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
