"""Request parameters of the Trackops collections: parsing, validation, filtering, paging.

Every collection recognises per_page, page and dir (document, Searching Collections),
mode=count and the created / updated ranges (PUBLIC-FACTS, reference pages), an ``id``
filter and the related-record filters of its reference page (``client`` on cases, ``user``
and ``case`` on expense entries, which also take ``status`` and the entry-date range).
An unknown name or a bad value is a 400 (the strict reading of TRK-PARAM-INVALID-400).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from harness.emulators.trackops._data import Record

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 100

PAGING = ("per_page", "page", "dir", "mode")
# date ranges: parameter -> (raw time key of the record, is the upper bound). from/to are the
# created range (PUBLIC-FACTS; reference: an alias of created_from/created_to) except on
# expense entries, where they bound the entry date (reference: alias of date_from/date_to).
_CREATED = {
    "from": ("_created", False),
    "to": ("_created", True),
    "created_from": ("_created", False),
    "created_to": ("_created", True),
}
_UPDATED = {"updated_from": ("_updated", False), "updated_to": ("_updated", True)}
_ENTRY_DATE = {
    "from": ("_entry", False),
    "to": ("_entry", True),
    "date_from": ("_entry", False),
    "date_to": ("_entry", True),
}
RANGES: dict[str, dict[str, tuple[str, bool]]] = {
    "clients": {**_CREATED, **_UPDATED},
    "cases": {**_CREATED, **_UPDATED},
    "users": {**_CREATED, **_UPDATED},
    "expenses": {
        "created_from": ("_created", False),
        "created_to": ("_created", True),
        **_UPDATED,
        **_ENTRY_DATE,
    },
}
# related-record filters (reference pages: client on cases, user and case on expense
# entries): parameter -> capitalised key of the nested record; id filters the record's own id
RELATED: dict[str, dict[str, str]] = {
    "clients": {"id": ""},
    "cases": {"id": "", "client": "Client"},
    "users": {"id": ""},
    "expenses": {"id": "", "user": "User", "case": "Case"},
}
STATUSES: dict[str, tuple[str, ...]] = {
    "expenses": ("pending", "approved", "declined", "committed", "voided"),
}

_DIGITS = re.compile(r"[0-9]{1,12}")
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)


class BadParam(ValueError):
    """An invalid request parameter: answered with 400."""


@dataclass
class Bounds:
    """lo <= t, and t <= hi (or t < hi when ``hi_open``: a whole day given as a date)."""

    lo: float | None = None
    hi: float | None = None
    hi_open: bool = False

    def holds(self, t: float) -> bool:
        if self.lo is not None and t < self.lo:
            return False
        if self.hi is None:
            return True
        return t < self.hi if self.hi_open else t <= self.hi


@dataclass
class Query:
    per_page: int = DEFAULT_PER_PAGE
    page: int = 1
    descending: bool = True
    count: bool = False
    bounds: dict[str, Bounds] = field(default_factory=dict)  # raw time key -> range
    related: dict[str, int] = field(default_factory=dict)
    status: str | None = None


def _positive(name: str, value: str) -> int:
    if not _DIGITS.fullmatch(value) or int(value) < 1:
        raise BadParam(f"Invalid value for {name}: {value!r} (expected a whole number >= 1)")
    return int(value)


def _moment(name: str, value: str, upper: bool) -> tuple[float, bool]:
    """Epoch seconds of a date or date-time (naive = UTC) and whether the bound is open."""
    try:
        if not _MOMENT.fullmatch(value):
            raise ValueError(value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadParam(
            f"Invalid value for {name}: {value!r} (expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if upper and len(value) == 10:  # a date: the whole day is included
        return (moment + timedelta(days=1)).timestamp(), True
    return moment.timestamp(), False


@dataclass(frozen=True)
class Quirks:
    """Ways the faults bend the parsing (all off in the clean emulator).

    ``lenient``: unknown names and bad values ignored (defaults used); ``unknown_ignored``:
    only unknown names ignored; ``uncapped``: per_page above 100 honoured;
    ``over_cap_refused``: per_page above 100 a 400; ``large_as_cap``: per_page above 25
    served as 100; ``ascending_default``: oldest first without dir; ``to_ignored``: the
    upper bound of the created range ignored; ``updated_on_created``: the updated range
    applied to the creation time.
    """

    lenient: bool = False
    unknown_ignored: bool = False
    uncapped: bool = False
    over_cap_refused: bool = False
    large_as_cap: bool = False
    ascending_default: bool = False
    to_ignored: bool = False
    updated_on_created: bool = False


CLEAN = Quirks()


def parse_query(collection: str, items: Sequence[tuple[str, str]], quirks: Quirks = CLEAN) -> Query:
    """The query of a collection request; raises :class:`BadParam`."""
    known = (*PAGING, *RANGES[collection], *RELATED[collection])
    if collection in STATUSES:
        known += ("status",)
    query = Query(descending=not quirks.ascending_default)
    seen: set[str] = set()
    for name, value in items:
        try:
            if name not in known:
                allowed = ", ".join(known)
                if quirks.unknown_ignored:
                    continue
                raise BadParam(f"Invalid request parameter: {name!r} (allowed: {allowed})")
            if name in seen:
                raise BadParam(f"Request parameter {name!r} was given more than once")
            seen.add(name)
            _apply(query, collection, name, value, quirks)
        except BadParam:
            if not quirks.lenient:
                raise
    return query


def _size(value: str, quirks: Quirks) -> int:
    size = _positive("per_page", value)
    if size > MAX_PER_PAGE and quirks.over_cap_refused:
        raise BadParam(f"Invalid value for per_page: {value!r} (at most {MAX_PER_PAGE})")
    if quirks.large_as_cap and size > 25:
        return MAX_PER_PAGE
    return size if quirks.uncapped else min(size, MAX_PER_PAGE)


def _apply(query: Query, collection: str, name: str, value: str, quirks: Quirks) -> None:
    if name == "per_page":
        query.per_page = _size(value, quirks)
    elif name == "page":
        query.page = _positive(name, value)
    elif name == "dir":
        if value not in ("asc", "desc"):
            raise BadParam(f"Invalid value for dir: {value!r} (expected asc or desc)")
        query.descending = value == "desc"
    elif name == "mode":
        if value != "count":
            raise BadParam(f"Invalid value for mode: {value!r} (expected count)")
        query.count = True
    elif name == "status":
        if value not in STATUSES[collection]:
            choices = ", ".join(STATUSES[collection])
            raise BadParam(f"Invalid value for status: {value!r} (expected one of {choices})")
        query.status = value
    elif name in RANGES[collection]:
        key, upper = RANGES[collection][name]
        if quirks.to_ignored and name == "to":
            return
        if quirks.updated_on_created and key == "_updated":
            key = "_created"
        bounds = query.bounds.setdefault(key, Bounds())
        if upper:
            bounds.hi, bounds.hi_open = _moment(name, value, upper=True)
        else:
            bounds.lo, _ = _moment(name, value, upper=False)
    else:
        query.related[RELATED[collection][name]] = _positive(name, value)


def select(records: Sequence[Record], query: Query) -> list[Record]:
    """The records matching the query's filters, in the requested order."""
    found = [
        rec
        for rec in records
        if all(bounds.holds(rec[key]) for key, bounds in query.bounds.items())
        and all(
            (rec if key == "" else rec.get(key, {})).get("id") == rid
            for key, rid in query.related.items()
        )
        and (query.status is None or rec.get("status") == query.status)
    ]
    return found[::-1] if query.descending else found


def page_slice(
    records: Sequence[Record], query: Query, overlap: bool = False, second_short: bool = False
) -> list[Record]:
    """One page of records.

    ``overlap`` (the trackops-pages-overlap fault) shifts every page after the first one
    record back, keeping its length: the last record of page n repeats at the top of page
    n+1 and the very last record is never served, while page sizes, the short last page and
    mode=count stay as in the clean emulator. ``second_short`` (the
    trackops-entries-second-page-short fault) serves page 2 one record short and starts
    every later page one record early, so each record still comes exactly once.
    """
    start = (query.page - 1) * query.per_page
    end = start + query.per_page
    if second_short and query.page >= 2:
        start, end = max(start - 1, query.per_page), end - 1
    end = min(end, len(records))
    if start >= end:
        return []
    if overlap and query.page > 1:
        start, end = start - 1, end - 1
    return list(records[start:end])


def counts(total: int, query: Query) -> dict[str, int]:
    """The mode=count answer: records matching and pages of per_page needed."""
    return {"record_count": total, "page_count": math.ceil(total / query.per_page)}
