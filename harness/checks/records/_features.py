"""The ``[features.*]`` tables the record checks read, typed: ``enums``, ``ids``,
``timestamps`` and ``ticket_fields``.

Other packages read them with these keys (``ENUMS.read(profile)``, or ``ctx.feature(ENUMS)``
in a check that ``requires=(ENUMS,)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.checks._features import FeatureKey

__all__ = [
    "ENUMS",
    "IDS",
    "OBSERVED_FIELDS",
    "TIMESTAMPS",
    "Enums",
    "Ids",
    "ObservedFields",
    "Timestamps",
]


@dataclass(frozen=True)
class Enums:
    """Documented value sets of record attributes (one key per attribute: ``status``,
    ``priority``), the answer to a value outside them, and where the API lists its
    enumerations (``path``, ``entry_fields``)."""

    status: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    invalid_status: int | None = None  # the status answering a value outside its set
    probe_write: Mapping[str, Any] | None = None  # a create body with an undocumented value
    path: str | None = None  # where the API lists its enumerations
    entry_fields: tuple[str, ...] = ("id", "txt")  # the members of each listed entry

    def value_sets(self) -> dict[str, tuple[str, ...]]:
        """Record attribute -> its complete documented set of values."""
        sets = {"status": self.status, "priority": self.priority}
        return {name: values for name, values in sets.items() if values}


ENUMS = FeatureKey("enums", Enums)


@dataclass(frozen=True)
class Ids:
    """The documented form of identifiers: the fields holding one, and their pattern."""

    pattern: str
    fields: tuple[str, ...]
    missing_example: str | None = None  # a well-formed id no record has


IDS = FeatureKey("ids", Ids)


@dataclass(frozen=True)
class Timestamps:
    """Where records carry timestamps and in which notation.

    ``fields`` are validated against ``schema`` (``<stem>.<reading>.schema.json`` in strict
    mode); ``mirrors`` pairs a Unix-seconds field with its ISO 8601 twin
    (``{operation, seconds, iso8601}``).
    """

    fields: tuple[str, ...] = ()
    schema: str = "timestamp.schema.json"
    mirrors: tuple[Mapping[str, str], ...] = ()


TIMESTAMPS = FeatureKey("timestamps", Timestamps)


@dataclass(frozen=True)
class ObservedFields:
    """The field set observed on the main records: which may be null, and the pattern of
    fields with a documented form (``patterns``: field -> regular expression)."""

    fields: tuple[str, ...]
    nullable: tuple[str, ...] = ()
    patterns: Mapping[str, str] | None = None


OBSERVED_FIELDS = FeatureKey("ticket_fields", ObservedFields)
