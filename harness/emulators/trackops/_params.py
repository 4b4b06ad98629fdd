"""Request parameters of the Trackops collections: parsing, validation, filtering, paging.

Every collection recognises per_page, page and dir (document, Searching Collections),
mode=count and the created / updated ranges (PUBLIC-FACTS); some take a related-record
filter. An unknown name or a bad value is a 400 (the strict reading of TRK-PARAM-INVALID-400).
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

COMMON = ("per_page", "page", "dir", "mode", "from", "to", "updated_from", "updated_to")
# related-record filters each collection takes: parameter -> capitalised key of the nested record
RELATED: dict[str, dict[str, str]] = {
    "clients": {"user_id": "User"},
    "cases": {"client_id": "Client", "user_id": "User"},
    "users": {},
    "expenses": {"case_id": "Case", "user_id": "User"},
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
    created: Bounds = field(default_factory=Bounds)
    updated: Bounds = field(default_factory=Bounds)
    related: dict[str, int] = field(default_factory=dict)


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


def parse_query(
    collection: str,
    items: Sequence[tuple[str, str]],
    *,
    lenient: bool = False,
    uncapped: bool = False,
    ascending_default: bool = False,
) -> Query:
    """The query of a collection request; raises :class:`BadParam`.

    ``lenient`` ignores unknown names and falls back to defaults for bad values (the
    trackops-invalid-params-ignored fault); ``uncapped`` lets per_page exceed 100
    (trackops-per-page-uncapped); ``ascending_default`` flips the default order
    (trackops-default-sort-ascending).
    """
    related = RELATED[collection]
    query = Query(descending=not ascending_default)
    seen: set[str] = set()
    for name, value in items:
        try:
            if name not in COMMON and name not in related:
                allowed = ", ".join((*COMMON, *related))
                raise BadParam(f"Invalid request parameter: {name!r} (allowed: {allowed})")
            if name in seen:
                raise BadParam(f"Request parameter {name!r} was given more than once")
            seen.add(name)
            _apply(query, name, value, related, uncapped)
        except BadParam:
            if not lenient:
                raise
    return query


def _apply(query: Query, name: str, value: str, related: dict[str, str], uncapped: bool) -> None:
    if name == "per_page":
        size = _positive(name, value)
        query.per_page = size if uncapped else min(size, MAX_PER_PAGE)
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
    elif name in ("from", "updated_from"):
        bounds = query.created if name == "from" else query.updated
        bounds.lo, _ = _moment(name, value, upper=False)
    elif name in ("to", "updated_to"):
        bounds = query.created if name == "to" else query.updated
        bounds.hi, bounds.hi_open = _moment(name, value, upper=True)
    else:
        query.related[related[name]] = _positive(name, value)


def select(records: Sequence[Record], query: Query) -> list[Record]:
    """The records matching the query's filters, in the requested order."""
    found = [
        rec
        for rec in records
        if query.created.holds(rec["_created"])
        and query.updated.holds(rec["_updated"])
        and all(rec.get(key, {}).get("id") == rid for key, rid in query.related.items())
    ]
    return found[::-1] if query.descending else found


def page_slice(records: Sequence[Record], query: Query, overlap: bool = False) -> list[Record]:
    """One page of records.

    ``overlap`` (the trackops-pages-overlap fault) shifts every page after the first one
    record back, keeping its length: the last record of page n repeats at the top of page
    n+1 and the very last record is never served, while page sizes, the short last page and
    mode=count stay as in the clean emulator.
    """
    start = (query.page - 1) * query.per_page
    end = min(start + query.per_page, len(records))
    if start >= end:
        return []
    if overlap and query.page > 1:
        start, end = start - 1, end - 1
    return list(records[start:end])


def counts(total: int, query: Query) -> dict[str, int]:
    """The mode=count answer: records matching and pages of per_page needed."""
    return {"record_count": total, "page_count": math.ceil(total / query.per_page)}
