"""Where the harness's data lives: the vendor folders and its own schemas.

The built-in vendors live in ``schemas/`` (``harness/_data/schemas`` when installed).
More vendor folders can be added with the environment variable ``HARNESS_VENDOR_PATH``
(folders separated by ``os.pathsep``, each holding one sub-folder per vendor): a vendor
is data plus one emulator module, so a new one needs no code change in the harness.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
VENDOR_PATH_ENV = "HARNESS_VENDOR_PATH"


def harness_schema_dir() -> Path:
    """The harness's own schemas (profile, clause catalog, examples, target file)."""
    return _PACKAGE / "_data_schemas"


def vendor_root() -> Path:
    """The folder holding one sub-folder per vendor (``schemas/`` in a checkout)."""
    installed = _PACKAGE / "_data" / "schemas"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "schemas"


def vendor_roots() -> tuple[Path, ...]:
    """The built-in vendor folder, then every folder named in ``$HARNESS_VENDOR_PATH``."""
    extra = os.environ.get(VENDOR_PATH_ENV, "")
    return _roots(extra)


@cache
def _roots(extra: str) -> tuple[Path, ...]:
    found = [vendor_root()]
    for part in extra.split(os.pathsep):
        if part.strip():
            path = Path(part.strip()).resolve()
            if path not in found:
                found.append(path)
    return tuple(found)


def vendor_folder(vendor: str) -> Path:
    """The folder of a vendor (the first root that has it; the built-in root otherwise)."""
    for root in vendor_roots():
        if (root / vendor / "profile.toml").is_file():
            return root / vendor
    return vendor_root() / vendor


def vendor_names() -> tuple[str, ...]:
    """Every vendor that has a profile, sorted."""
    names = {p.parent.name for root in vendor_roots() for p in root.glob("*/profile.toml")}
    return tuple(sorted(names))


def feature_schema_files() -> tuple[Path, ...]:
    """The feature schemas check packages declare (``checks/<package>/features.schema.json``)."""
    return tuple(sorted((_PACKAGE / "checks").glob("*/features.schema.json")))


def suites_dir() -> Path:
    """The conformance suites (``suites/`` in a checkout)."""
    installed = _PACKAGE / "_data" / "suites"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "suites"
