"""The ITRP faults of the envelope: service root, content type, bare records, ids, .json, ?fields.

Switches (the constants below) are consulted by the app with ``ctx.fault``; the rest are
middlewares built from the shared blocks."""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    on_errors,
    on_operation,
    on_success,
    replace_header,
    rewrite_json,
    rewriter,
)
from harness.emulators.itrp import _fault_changes as fx
from harness.emulators.itrp._fault_scopes import (
    V1,
    no_callback,
    people_list,
    person_read,
    requests_list,
)

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
            requests_list & no_callback,
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
