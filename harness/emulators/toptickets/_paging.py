"""Offset/limit paging of every list (toptickets.txt, Pagination): offset from 0, limit
default 100, at most 500; a malformed or out-of-range value is a 422 problem (FastAPI).

The paging faults of ``_fault_switches`` bend exactly one of these rules each.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

from harness.emulators.toptickets import _fault_switches as f
from harness.emulators.toptickets import _params as params
from harness.emulators.toptickets._data import Record
from harness.emulators.toptickets._openapi import PAGE_DEFAULT, PAGE_MAX

Active = Callable[[str], bool]
PAGING_PARAMS = ("offset", "limit")


def bounds(request: Request, problems: params.Problems, fault: Active) -> tuple[int, int]:
    """The offset and limit a list call asks for (problems collected for the 422)."""
    found = params.Problems()
    clamp = fault(f.OVERSIZE_CLAMPED)
    offset = params.integer(request, "offset", found, default=0, minimum=0)
    limit = params.integer(
        request,
        "limit",
        found,
        default=PAGE_DEFAULT,
        minimum=1,
        maximum=None if clamp else PAGE_MAX,
    )
    if clamp:
        limit = min(limit, PAGE_MAX)
    if fault(f.BAD_PARAM_IGNORED):  # unparsable values fall back to the defaults
        found.items = [p for p in found.items if p["type"] != "int_parsing"]
    if fault(f.DEFAULT_50) and "limit" not in request.query_params:
        limit = 50
    problems.items.extend(found.items)
    return offset, limit


def only_malformed_paging(problems: params.Problems) -> bool:
    """Whether every problem is a malformed paging value (not a limit above the maximum)."""
    return all(
        p["loc"][-1] in PAGING_PARAMS and p["type"] != "less_than_equal" for p in problems.items
    )


def window(records: list[Record], offset: int, limit: int, fault: Active) -> list[Record]:
    """The records of one page."""
    if fault(f.OFFSET_SKIPS) and offset > 0:
        offset += 1
    if fault(f.LIMIT_CAPPED):
        limit = min(limit, 100)
    if fault(f.PAST_END_LAST_PAGE) and records and offset > len(records):
        offset = max(0, len(records) - limit)
    return records[offset : offset + limit]
