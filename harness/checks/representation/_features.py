"""The ``[features.json_suffix]`` and ``[features.fields]`` tables, typed.

Other packages read them with ``ctx.feature(JSON_SUFFIX)`` / ``ctx.feature(FIELDS)`` in a
check that ``requires`` them, or ``JSON_SUFFIX.read(profile)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["FIELDS", "JSON_SUFFIX", "FieldSelection", "JsonSuffix"]


@dataclass(frozen=True)
class JsonSuffix:
    """A path suffix that asks for JSON, equivalent to Accept: <JSON type> and to nothing."""

    suffix: str = ".json"
    example_path: str | None = None  # a read the document shows (default: the main one)


JSON_SUFFIX = FeatureKey("json_suffix", JsonSuffix)


@dataclass(frozen=True)
class FieldSelection:
    """A query parameter naming the only attributes each record keeps."""

    param: str = "fields"
    example: str = "name"  # the attribute the document selects in its example
    always_included: tuple[str, ...] = ("id",)  # attributes kept whatever is selected


FIELDS = FeatureKey("fields", FieldSelection)
