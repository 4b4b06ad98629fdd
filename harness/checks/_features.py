"""Typed features: the vendor behaviours a check package reads from a profile.

A profile's ``[features.<name>]`` tables are not free-form: each table is declared by
the check package that reads it, twice over and kept equal by a test:

- ``harness/checks/<package>/features.schema.json`` holds the JSON Schema of every
  table the package reads (``properties.<name>``); the profile schema is assembled from
  these files, so a misspelled table or key fails loading with the file, the key and
  the expected form (:mod:`harness.profiles`);
- a frozen dataclass per table and a :class:`FeatureKey` to read it typed::

      @dataclass(frozen=True)
      class Jsonp:
          param: str
          meta_key: str = "meta"

      JSONP = FeatureKey("jsonp", Jsonp)

      @check("jsonp.wrap", concern="vendor", requires=(JSONP,))
      def wrap(ctx: CheckContext) -> None:
          jsonp = ctx.feature(JSONP)

Every table may also carry ``source`` (document, public-facts, assumed) and ``section``:
where the fact comes from. They are read with :func:`feature_source`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from harness.errors import HarnessError
from harness.profiles import Profile

__all__ = ["PROVENANCE", "FeatureKey", "feature_source", "read_feature"]

T = TypeVar("T")

PROVENANCE = ("source", "section")
_KEYS: dict[str, FeatureKey[Any]] = {}


def _frozen(value: Any) -> Any:
    """TOML values as immutable ones: lists become tuples, tables read-only mappings."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _frozen(v) for k, v in value.items()})
    return value


@dataclass(frozen=True)
class FeatureKey(Generic[T]):
    """The name of a ``[features.<name>]`` table and the dataclass it is read into."""

    name: str
    type: type[T]

    def __post_init__(self) -> None:
        if not dataclasses.is_dataclass(self.type):
            raise TypeError(f"feature {self.name!r}: {self.type!r} is not a dataclass")
        known = _KEYS.get(self.name)
        if known is not None and known.type is not self.type:
            raise ValueError(f"feature {self.name!r} is declared twice ({known.type.__name__})")
        _KEYS[self.name] = self

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(f.name for f in dataclasses.fields(self.type))  # type: ignore[arg-type]

    def present(self, profile: Profile) -> bool:
        return bool(profile.features.get(self.name))

    def read(self, profile: Profile) -> T | None:
        """The table as its dataclass, or None when the profile has no such table."""
        table = profile.features.get(self.name)
        if not table:
            return None
        values = {k: _frozen(v) for k, v in table.items() if k not in PROVENANCE}
        return self.type(**values)

    def applies(self, profile: Profile) -> str | None:
        """None when the profile documents this feature, else why a check skips."""
        if self.present(profile):
            return None
        return f"the profile documents no [features.{self.name}] behaviour"


def read_feature(profile: Profile, key: FeatureKey[T]) -> T:
    """The table of a feature the caller knows is present (a check that ``requires`` it)."""
    found = key.read(profile)
    if found is None:
        raise HarnessError(
            f"{profile.vendor}: [features.{key.name}] is read but the profile has none; "
            f"declare it in requires=(...) of the check so that it is skipped instead"
        )
    return found


def feature_source(profile: Profile, key: FeatureKey[Any]) -> str:
    """Where a feature comes from: ``document`` (default), ``public-facts`` or ``assumed``."""
    table = profile.features.get(key.name) or {}
    return str(table.get("source", "document"))


def declared_keys() -> Mapping[str, FeatureKey[Any]]:
    """Every feature key declared so far (after :func:`harness.checks.load_all`)."""
    return MappingProxyType(_KEYS)
