"""The ``[features.mode_count]``, ``[features.nesting]`` and ``[features.resources]``
tables, typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.checks._features import FeatureKey

__all__ = ["MODE_COUNT", "NESTING", "RESOURCES", "ModeCount", "Nesting", "Resource", "Resources"]


@dataclass(frozen=True)
class ModeCount:
    """A query parameter (``param=value``) that makes a collection answer its record and
    page counts (the members named in ``fields``, records first) instead of records."""

    param: str
    value: str
    fields: tuple[str, ...] = ("record_count", "page_count")
    schema: str | None = None  # the schema of the count answer


MODE_COUNT = FeatureKey("mode_count", ModeCount)


@dataclass(frozen=True)
class Nesting:
    """How records embed related records: as objects with an id, under capitalised keys
    or one of ``known_keys``."""

    known_keys: tuple[str, ...] = ()


NESTING = FeatureKey("nesting", Nesting)


@dataclass(frozen=True)
class Resource:
    """One documented resource of ``[features.resources] by_name``."""

    name: str
    path: str


@dataclass(frozen=True)
class Resources:
    """The documented resources (``by_name``: name -> ``{path}``)."""

    by_name: Mapping[str, Mapping[str, Any]]

    def resources(self) -> tuple[Resource, ...]:
        return tuple(Resource(name=name, **dict(entry)) for name, entry in self.by_name.items())


RESOURCES = FeatureKey("resources", Resources)
