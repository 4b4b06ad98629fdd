"""The error tables, typed: ``[features.errors]``, ``[features.not_acceptable]`` and
``[features.invalid_params]``.

Read with ``ctx.feature(KEY)`` in a check that ``requires`` the table, or
``ctx.optional_feature(KEY)`` / ``KEY.read(profile)`` (None when the profile lacks it).
The Turris emulator reads ``[features.errors] types`` raw: its name and shape (status ->
error type) stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from harness.checks._features import FeatureKey
from harness.profiles import Profile

__all__ = [
    "ERRORS",
    "INVALID_PARAMS",
    "NOT_ACCEPTABLE",
    "Errors",
    "InvalidParams",
    "NotAcceptable",
    "errors_of",
    "invalid_params_of",
]


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Errors:
    """What an error answer looks like beyond its schema files."""

    fields: tuple[str, ...] = ()  # the top-level fields (each a ``field-<name>`` aspect)
    types: Mapping[str, str] = field(default_factory=_empty)  # status -> error type
    types_source: str | None = None
    extra_statuses: Mapping[str, str] = field(default_factory=_empty)  # status -> schema
    only_listed_statuses: bool = False  # responses use no status but the documented ones
    empty_body_readings: tuple[str, ...] = ()  # readings under which a body may be missing


ERRORS = FeatureKey("errors", Errors)


@dataclass(frozen=True)
class NotAcceptable:
    """A known URI that does not serve the JSON API, and the status it answers."""

    status: int
    example_path: str


NOT_ACCEPTABLE = FeatureKey("not_acceptable", NotAcceptable)


@dataclass(frozen=True)
class InvalidParams:
    """How the document says invalid query parameters are refused."""

    bad_values: tuple[Mapping[str, Any], ...] = ()  # the document's own bad values
    unknown_names: tuple[Mapping[str, Any], ...] = ()  # unknown names some reading refuses
    refused_params: tuple[str, ...] | None = None  # parameters refused one by one (None: all)
    reading_statuses: Mapping[str, int] = field(default_factory=_empty)  # reading -> status


INVALID_PARAMS = FeatureKey("invalid_params", InvalidParams)


def errors_of(profile: Profile) -> Errors:
    """The profile's ``[features.errors]`` (every key at its default when it has none)."""
    return ERRORS.read(profile) or Errors()


def invalid_params_of(profile: Profile) -> InvalidParams:
    """The profile's ``[features.invalid_params]`` (defaults when it has none)."""
    return INVALID_PARAMS.read(profile) or InvalidParams()
