"""harness: a conformance and monitoring test harness for documented vendor REST APIs.

The names below are imported on first use (PEP 562), so a command imports only what it
needs: ``harness --help`` does not load schemas, validators or the clause catalog.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Catalog": "harness.catalog",
    "Clause": "harness.catalog",
    "load_catalog": "harness.catalog",
    "ConfigError": "harness.errors",
    "HarnessError": "harness.errors",
    "ProfileError": "harness.errors",
    "SchemaError": "harness.errors",
    "TargetFileError": "harness.errors",
    "TargetUnreachable": "harness.errors",
    "Evidence": "harness.findings",
    "Finding": "harness.findings",
    "Profile": "harness.profiles",
    "load_profile": "harness.profiles",
    "Target": "harness.targets",
    "load_target": "harness.targets",
    "SchemaStore": "harness.validation",
    "Violation": "harness.validation",
    "default_store": "harness.validation",
}

if TYPE_CHECKING:
    from harness.catalog import Catalog, Clause, load_catalog
    from harness.errors import (
        ConfigError,
        HarnessError,
        ProfileError,
        SchemaError,
        TargetFileError,
        TargetUnreachable,
    )
    from harness.findings import Evidence, Finding
    from harness.profiles import Profile, load_profile
    from harness.targets import Target, load_target
    from harness.validation import SchemaStore, Violation, default_store


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = [
    "Catalog",
    "Clause",
    "ConfigError",
    "Evidence",
    "Finding",
    "HarnessError",
    "Profile",
    "ProfileError",
    "SchemaError",
    "SchemaStore",
    "Target",
    "TargetFileError",
    "TargetUnreachable",
    "Violation",
    "__version__",
    "default_store",
    "load_catalog",
    "load_profile",
    "load_target",
]
