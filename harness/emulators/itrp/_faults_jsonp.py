"""The ITRP faults of JSON-P (?callback=): the wrapping and the meta object.

Switches (the constants below) are consulted by the app with ``ctx.fault``; the rest are
middlewares built from the shared blocks."""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    replace_header,
)
from harness.emulators.itrp import _fault_changes as fx

F_JSONP_ERRORS_PLAIN = "itrp-jsonp-errors-unwrapped"
F_JSONP_LINK_RAW = "itrp-jsonp-link-unparsed"
F_JSONP_STATUS_TEXT = "itrp-jsonp-status-as-string"

JSONP: tuple[Fault, ...] = (
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
