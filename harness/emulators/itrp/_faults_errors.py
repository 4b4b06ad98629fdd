"""The ITRP faults of error answers: the body, 400, 404, 406 and 422.

Switches (the constants below) are consulted by the app with ``ctx.fault``; the rest are
middlewares built from the shared blocks."""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    on_operation,
    on_status,
    rewrite_json,
    rewriter,
    set_status,
)
from harness.emulators.itrp import _fault_changes as fx
from harness.emulators.itrp._fault_scopes import (
    KNOWN,
    V1,
    create,
    no_callback,
    person_read,
)

F_CREATE_DEFAULTS = "itrp-create-without-category-accepted"

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
