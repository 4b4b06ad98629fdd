"""Named checks, by concern: one subpackage per concern (``auth/``, ``pagination/``, ...)
or per documented feature (``jsonp/``, ``accounts/``, ...), each with its shared helpers
in one private module. :func:`load_all` imports every module and returns the registry."""

from __future__ import annotations

import importlib
import pkgutil

from harness.checks._context import CheckContext, CheckSkipped, SessionOptions, TargetSession
from harness.checks._features import FeatureKey
from harness.checks._memo import memoized
from harness.checks._registry import ALIASES, CHECKS, CONCERNS, CheckSpec, check, get_check
from harness.checks._routing import Routing, routing_for

__all__ = [
    "ALIASES",
    "CHECKS",
    "CONCERNS",
    "CheckContext",
    "CheckSkipped",
    "CheckSpec",
    "FeatureKey",
    "Routing",
    "SessionOptions",
    "TargetSession",
    "check",
    "get_check",
    "load_all",
    "memoized",
    "routing_for",
]

_loaded = False


def load_all() -> dict[str, CheckSpec]:
    """Import every check module of this package (once) and return the registry."""
    global _loaded
    if not _loaded:
        for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
            if not info.name.rsplit(".", 1)[-1].startswith("_") or info.ispkg:
                importlib.import_module(info.name)
        _loaded = True
    return CHECKS
