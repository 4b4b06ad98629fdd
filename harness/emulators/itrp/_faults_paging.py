"""The ITRP faults of collection paging: Link, X-Pagination-*, page sizes and parameters.

Switches (the constants below) are consulted by the app with ``ctx.fault``; the rest are
middlewares built from the shared blocks."""

from __future__ import annotations

from harness.emulators._faults import (
    Fault,
    drop_header,
    every_nth,
    json_field,
    off_by,
    on_status,
    replace_header,
)
from harness.emulators.itrp import _fault_changes as fx
from harness.emulators.itrp._fault_scopes import (
    no_callback,
    people_list,
    sites_list,
)

F_NEXT_ON_LAST = "itrp-link-next-on-last-page"
F_PAGE_SIZE_25 = "itrp-default-page-size-25"
F_PEOPLE_PAGE_SIZE_30 = "itrp-people-default-page-size-30"
F_PAGE_OVERLAP = "itrp-next-page-repeats-a-record"
F_PER_PAGE_CAPPED = "itrp-per-page-capped-at-50"
F_PER_PAGE_ZERO = "itrp-per-page-zero-accepted"

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
