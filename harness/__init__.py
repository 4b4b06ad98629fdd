"""harness: a conformance and monitoring test harness for documented vendor REST APIs."""

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

__version__ = "0.1.0"

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
