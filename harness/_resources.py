"""Where the harness's data lives: the vendor folders and its own schemas."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def harness_schema_dir() -> Path:
    """The harness's own schemas (profile, clause catalog, examples, target file)."""
    return _PACKAGE / "_data_schemas"


def vendor_root() -> Path:
    """The folder holding one sub-folder per vendor (``schemas/`` in a checkout)."""
    installed = _PACKAGE / "_data" / "schemas"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "schemas"


def vendor_names() -> tuple[str, ...]:
    """Every vendor that has a profile, sorted."""
    root = vendor_root()
    return tuple(sorted(p.parent.name for p in root.glob("*/profile.toml")))


def feature_schema_files() -> tuple[Path, ...]:
    """The feature schemas check packages declare (``checks/<package>/features.schema.json``)."""
    return tuple(sorted((_PACKAGE / "checks").glob("*/features.schema.json")))


def suites_dir() -> Path:
    """The conformance suites (``suites/`` in a checkout)."""
    installed = _PACKAGE / "_data" / "suites"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "suites"
