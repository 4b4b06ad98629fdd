"""The ``[features.filters]`` and ``[features.url_encoding]`` tables, typed.

Other packages read the filters with :data:`FILTERS` (``FILTERS.read(profile)``, or
``ctx.feature(FILTERS)`` in a check that ``requires=(FILTERS,)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["FILTERS", "URL_ENCODING", "Filters", "UrlEncoding"]


@dataclass(frozen=True)
class Filters:
    """The query parameters that narrow a collection.

    ``params`` names every documented filter (name -> what it does); ``exact`` the ones
    that match a record attribute exactly, ``search`` the free-text one; ``ranges`` maps a
    record date field to the parameters of its lower and upper bound
    (``{created = {from = "from", to = "to"}}``).
    """

    operation: str | None = None  # the filtered collection (default: the main one)
    params: Mapping[str, str] | None = None
    exact: tuple[str, ...] = ()
    search: str | None = None
    example: str | None = None  # a documented request combining filters
    search_fields: tuple[str, ...] = ()  # the attributes searched
    ranges: Mapping[str, Mapping[str, str]] | None = None

    def date_ranges(self) -> list[tuple[str, str, str]]:
        """(record field, lower-bound parameter, upper-bound parameter) of each range."""
        return [(name, str(r["from"]), str(r["to"])) for name, r in (self.ranges or {}).items()]


FILTERS = FeatureKey("filters", Filters)


@dataclass(frozen=True)
class UrlEncoding:
    """Values in a query are percent-encoded; ``probe`` is a parameter and a value holding
    reserved characters (``{param, value}``)."""

    probe: Mapping[str, str]


URL_ENCODING = FeatureKey("url_encoding", UrlEncoding)
