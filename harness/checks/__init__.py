"""Named checks, by concern. Importing :func:`load_all` registers every check module."""

from __future__ import annotations

import importlib
import pkgutil

from harness.checks._context import CheckContext, CheckSkipped, TargetSession
from harness.checks._registry import CHECKS, CheckSpec, check, get_check

__all__ = [
    "CHECKS",
    "CheckContext",
    "CheckSkipped",
    "CheckSpec",
    "TargetSession",
    "check",
    "get_check",
    "load_all",
]

_loaded = False


def load_all() -> dict[str, CheckSpec]:
    """Import every check module of this package (once) and return the registry."""
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        _loaded = True
    return CHECKS
