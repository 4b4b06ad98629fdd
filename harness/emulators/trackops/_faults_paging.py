"""Trackops faults of collections: paging (Collections), parameters and filters
(Searching Collections) and the public-facts behaviours (mode=count, nesting, resources)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    Headers,
    When,
    json_field,
    off_by,
    on_operation,
    on_success,
    rewriter,
)
from harness.emulators.trackops import _switches as sw

BASE = "/api/v1"


def _encoded_space(scope: Scope, status: int) -> bool:
    query: bytes = scope.get("query_string", b"")
    return b"%20" in query or b"+" in query


ENCODED_SPACE = When(lambda: _encoded_space, "queries with an encoded space")


def _refuse_encoded(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    message = {"error": "Invalid request parameter value: spaces are not allowed"}
    return 400, headers, json.dumps(message).encode()


def _bare_id(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value


ENTRIES = on_operation("GET", f"{BASE}/expense/entries")

FAULTS: tuple[Fault, ...] = (
    Fault(
        sw.PER_PAGE_UNCAPPED,
        "TRK-PAGE-MAX-100",
        "per_page above 100 is honoured: a page can hold more than 100 records",
    ),
    Fault(
        sw.PER_PAGE_OVER_100_REFUSED,
        "TRK-PAGE-MAX-100",
        "per_page above 100 is refused with 400 instead of served as 100 (the reject reading)",
        reading="reject",
    ),
    Fault(
        sw.PER_PAGE_LARGE_AS_100,
        "TRK-PAGE-PER-PAGE",
        "GET /expense/entries serves any per_page above 25 as 100; small sizes still work",
        kind="one-operation",
    ),
    Fault(
        sw.DEFAULT_SORT_ASCENDING,
        "TRK-PAGE-DEFAULT-DESC",
        "without dir, collections come oldest first (dir=asc and dir=desc still work)",
    ),
    Fault(
        sw.ASC_FIRST_PAGE_DESC,
        "TRK-PAGE-DIR",
        "dir=asc is ignored on page 1 (a cached newest-first page); later pages sort as asked",
        kind="wrong-value",
    ),
    Fault(
        sw.USERS_SIZE_IGNORED_WITH_DIR,
        "TRK-PAGE-PARAMS-EVERYWHERE",
        "GET /users ignores per_page and page when dir comes with them; alone, they work",
        kind="one-operation",
    ),
    Fault(
        sw.PAGES_OVERLAP,
        "TRK-PAGE-PAGE",
        "pages after the first start one record early: the last record of page n repeats on "
        "n+1 and the oldest record is never served (page sizes and counts unchanged)",
    ),
    Fault(
        sw.SECOND_PAGE_SHORT,
        "TRK-PAGE-SHORT-LAST",
        "GET /expense/entries: page 2 is one record short though more pages follow (later "
        "pages start one early, so no record is lost or repeated)",
        kind="one-operation",
    ),
    Fault(
        sw.PAST_END_404,
        "TRK-PAGE-EMPTY-END",
        "a page past the last one answers 404 instead of an empty array",
    ),
    Fault(
        sw.INVALID_PARAMS_IGNORED,
        "TRK-PARAM-INVALID-400",
        "unknown parameter names and bad values (dir=sideways, per_page=abc) are silently "
        "ignored (defaults used) instead of 400",
    ),
    Fault(
        sw.UNKNOWN_NAMES_IGNORED,
        "TRK-PARAM-INVALID-400",
        "unknown parameter names are ignored; bad values still get 400 (the values-only reading)",
        reading="values-only",
    ),
    Fault(
        "trackops-encoded-space-refused",
        "TRK-SEARCH-URL-ENCODED",
        "a query value with an encoded space (2020-01-01%2000:00:00) is refused with 400",
        rewriter(_refuse_encoded, when=ENCODED_SPACE),
    ),
    Fault(
        sw.TO_IGNORED,
        "TRK-PF-FILTER-CREATED",
        "the upper bound 'to' of the created range is ignored ('from' still works)",
    ),
    Fault(
        sw.UPDATED_RANGE_ON_CREATED,
        "TRK-PF-FILTER-UPDATED",
        "updated_from / updated_to filter on the creation time instead of the update time",
    ),
    Fault(
        "trackops-count-one-more",
        "TRK-PF-MODE-COUNT",
        "mode=count reports one record more than the collection pages",
        json_field("record_count", off_by(1)),
    ),
    Fault(
        "trackops-cases-client-bare-id",
        "TRK-PF-NESTED-RELATED",
        "GET /cases nests the client as its bare id (Client: 1004) instead of an object",
        json_field("Client", _bare_id, when=on_operation("GET", f"{BASE}/cases") & on_success),
    ),
    Fault(
        "trackops-case-get-neighbour",
        "TRK-PF-RESOURCES",
        "GET /cases/{id} answers the record with the id one above the one asked for",
        json_field("id", off_by(1), when=on_operation("GET", f"{BASE}/cases/{{id}}") & on_success),
    ),
    Fault(
        "trackops-client-get-neighbour",
        "TRK-PF-RESOURCES",
        "GET /clients/{id} answers the client listed after the one asked for (id one below)",
        json_field(
            "id", off_by(-1), when=on_operation("GET", f"{BASE}/clients/{{id}}") & on_success
        ),
    ),
)
