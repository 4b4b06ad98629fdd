"""The monitor's defaults, importable without loading the monitor (for the CLI's help)."""

from __future__ import annotations

__all__ = ["DEFAULT_BUDGET", "DEFAULT_DB", "DEFAULT_GROUP_WAIT"]

DEFAULT_DB = "sqlite:///reports/history.sqlite"
DEFAULT_BUDGET = 40
DEFAULT_GROUP_WAIT = 30.0
