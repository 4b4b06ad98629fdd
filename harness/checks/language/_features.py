"""The ``[features.language]`` table, typed. Read with ``ctx.feature(LANGUAGE)`` or
``LANGUAGE.read(profile)``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from harness.checks._features import FeatureKey

__all__ = ["LANGUAGE", "Language"]


@dataclass(frozen=True)
class Language:
    """A request header choosing the language of translated texts, and the list of
    language codes the enumerations publish."""

    header: str  # the request header naming a language code
    enums_key: str = "language"  # the enumeration listing the language codes
    example_code: str | None = None  # the code the document's example uses
    documented_codes: tuple[str, ...] = ()  # every code the document names
    # language code -> enumeration value id -> the text the document shows in that language
    example_translations: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )


LANGUAGE = FeatureKey("language", Language)
