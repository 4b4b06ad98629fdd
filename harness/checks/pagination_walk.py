"""I/O-free pieces of the pagination checks: walks as data, sizes, header roles, orderings.

Nothing here sends a request: :mod:`harness.checks.pagination` fetches the pages and
hands them over as :class:`Page` / :class:`Walk` values, so every rule below can be
unit-tested on hand-made pages.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.auth import resolve_pointer
from harness.checks._ops import record_id
from harness.checks.pagination_links import parse_link_header, relations
from harness.client import Exchange
from harness.profiles import Pagination, Profile

__all__ = [
    "Page",
    "Walk",
    "first_divergence",
    "first_inversion",
    "header_roles",
    "order_direction",
    "record_key",
    "reference_size",
    "signal_more",
    "sort_field",
    "sort_value",
    "walk_size",
]

# --- walks as data ---------------------------------------------------------------------


def record_key(record: Any) -> str:
    """A record's identity: its id, or its canonical JSON when it has none."""
    rid = record_id(record)
    if rid is not None:
        return f"id:{rid}"
    return "json:" + json.dumps(record, sort_keys=True, default=str)


@dataclass
class Page:
    """One page as asked for (position = page number, or offset) and as answered."""

    position: int | None
    size: int | None
    exchange: Exchange
    items: list[Any] | None
    more: bool | None = None  # what the page's own signal says: further pages exist

    @property
    def ok(self) -> bool:
        return 200 <= self.exchange.status < 300 and self.items is not None

    @property
    def count(self) -> int:
        return len(self.items or [])

    @property
    def keys(self) -> list[str]:
        return [record_key(r) for r in self.items or []]


@dataclass
class Walk:
    """The pages of one walk of a collection at one page size, ending at the first empty
    or failed page (or at the bound)."""

    size: int | None
    pages: list[Page] = field(default_factory=list)
    bounded: bool = False  # stopped at the page bound before reaching an empty page

    @property
    def started(self) -> bool:
        return bool(self.pages) and self.pages[0].ok

    @property
    def complete(self) -> bool:
        """It reached a successful empty page: every record was listed."""
        return bool(self.pages) and self.pages[-1].ok and not self.pages[-1].items

    @property
    def failed_page(self) -> Page | None:
        return self.pages[-1] if self.pages and not self.pages[-1].ok else None

    @property
    def records(self) -> list[Any]:
        return [r for p in self.pages if p.ok for r in p.items or []]

    @property
    def keys(self) -> list[str]:
        return [k for p in self.pages if p.ok for k in p.keys]

    def page_of(self, index: int) -> Page | None:
        """The page holding the ``index``-th record of the walk."""
        seen = 0
        for page in self.pages:
            if page.ok:
                seen += page.count
                if index < seen:
                    return page
        return None

    def followed(self) -> list[tuple[Page, Page]]:
        """Consecutive pairs of pages that both answered."""
        return [(a, b) for a, b in zip(self.pages, self.pages[1:], strict=False) if a.ok and b.ok]

    def duplicates(self) -> dict[str, list[Page]]:
        """Record key -> the pages it appears on, for records seen more than once."""
        where: dict[str, list[Page]] = {}
        for page in self.pages:
            for key in page.keys if page.ok else []:
                where.setdefault(key, []).append(page)
        return {k: v for k, v in where.items() if len(v) > 1}


def first_divergence(a: Sequence[str], b: Sequence[str]) -> int | None:
    """The first index where two sequences differ within their common length."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None


def walk_size(pagination: Pagination) -> int:
    """The page size of the main walk: explicit, neither the default nor the maximum (so
    honouring the size parameter shows), and large enough that ~330 records take <= 15 pages."""
    cap, default = pagination.max_size, pagination.default_size
    for size in (50, 40, 30, 25):
        if (cap is None or size < cap) and size != default:
            return size
    return max(1, (cap or 2) // 2)


def reference_size(pagination: Pagination) -> int | None:
    """The page size of the second walk (the documented maximum), when it differs."""
    cap = pagination.max_size
    return cap if cap is not None and cap != walk_size(pagination) else None


def signal_more(
    pagination: Pagination, exchange: Exchange, items: list[Any] | None, size: int | None
) -> bool | None:
    """What a page says about further pages, by the profile's last-page signal."""
    if items is None:
        return None
    signal = pagination.last_page_signal
    if signal == "link-no-next":
        links, _ = parse_link_header(exchange.headers.get("link", ""))
        return "next" in relations(links)
    if signal == "has-more-false" and pagination.has_more_pointer:
        flag = resolve_pointer(exchange.json(), pagination.has_more_pointer)
        return flag if isinstance(flag, bool) else None
    if signal == "empty-page":
        return bool(items)
    if size is None:
        return None
    return len(items) >= size


def header_roles(pagination: Pagination) -> dict[str, str]:
    """Which documented paging header reports what: current, size, total_pages, total."""
    roles: dict[str, str] = {}
    for name in pagination.headers:
        low = name.lower().replace("_", "-")
        if low == "link":
            continue
        if "total" in low:
            roles.setdefault("total_pages" if low.endswith("pages") else "total", name)
        elif "per-page" in low or "page-size" in low or low.endswith("limit"):
            roles.setdefault("size", name)
        elif "current" in low or low.endswith("-page"):
            roles.setdefault("current", name)
    return roles


def expected_total_pages(total: int, size: int) -> set[int]:
    return {max(1, math.ceil(total / size))} | ({0} if total == 0 else set())


# --- orderings -------------------------------------------------------------------------

_CREATED = ("created", "created_at", "createdAt", "creation_date", "date_created")


def sort_field(profile: Profile, records: Sequence[Any]) -> str | None:
    """The field a collection is ordered by: a feature's ``sort_key``, else a creation time."""
    for feature in profile.features.values():
        key = feature.get("sort_key")
        if isinstance(key, str):
            return key
    for name in _CREATED:
        if records and all(isinstance(r, Mapping) and name in r for r in records):
            return name
    return None


def sort_value(record: Any, name: str) -> float | str | None:
    value = record.get(name) if isinstance(record, Mapping) else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return value
    return None


def order_direction(value: str) -> str | None:
    """``asc`` / ``desc`` for an order parameter value, when its name says which."""
    low = value.lower()
    if low.startswith("asc") or low in ("oldest", "old"):
        return "asc"
    if low.startswith("desc") or low in ("newest", "new", "latest"):
        return "desc"
    return None


def first_inversion(records: Sequence[Any], name: str, direction: str) -> int | None:
    """The first ``i`` where records ``i`` and ``i+1`` are out of ``direction`` order
    (ties allowed); None when in order or when the values cannot be compared."""
    values = [sort_value(r, name) for r in records]
    if any(v is None for v in values) or len({type(v) for v in values}) > 1:
        return None
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        assert a is not None and b is not None
        if (direction == "asc" and a > b) or (direction == "desc" and a < b):  # type: ignore[operator]
            return i
    return None
