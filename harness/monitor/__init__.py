"""Scheduled health checks of the vendor targets (``harness monitor`` / ``harness history``).

- :mod:`~harness.monitor.cycle`: the health selection of one target, within a per-cycle
  request budget, with one session kept across cycles, re-checks and latency thresholds;
- :mod:`~harness.monitor.status` and :mod:`~harness.monitor.policy`: the record of a
  cycle, the status rules, and when a record tells on-call something;
- :mod:`~harness.monitor.fleet`, :mod:`~harness.monitor.shard`,
  :mod:`~harness.monitor.throttles` and :mod:`~harness.monitor.config`: what one process
  watches and how;
- :mod:`~harness.monitor.store`, :mod:`~harness.monitor.schema`,
  :mod:`~harness.monitor.recorder` and :mod:`~harness.monitor.outbox`: the history, safe
  with several writers and through database outages, and the alert outbox;
- :mod:`~harness.monitor.alerts`, :mod:`~harness.monitor.maintenance`,
  :mod:`~harness.monitor.metrics`: what goes out, when not, and what Prometheus reads;
- :mod:`~harness.monitor.service`: all of it, once or on an interval;
- :mod:`~harness.monitor.history` and :mod:`~harness.monitor.chart`: reading it back.

Names are loaded on first use, so ``harness --help`` does not import SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from harness.monitor.defaults import DEFAULT_BUDGET, DEFAULT_DB

if TYPE_CHECKING:
    from harness.monitor.alerts import AlertChannels, alert_payload
    from harness.monitor.cycle import HealthProbe, health_plan
    from harness.monitor.options import CycleReport, MonitorOptions
    from harness.monitor.policy import TargetPolicy
    from harness.monitor.service import Monitor
    from harness.monitor.shard import Shard, parse_shard, shard_of
    from harness.monitor.status import STATUSES, Status, VendorRecord, alert_group, classify
    from harness.monitor.store import HistoryStore

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_DB",
    "STATUSES",
    "AlertChannels",
    "CycleReport",
    "HealthProbe",
    "HistoryStore",
    "Monitor",
    "MonitorOptions",
    "Shard",
    "Status",
    "TargetPolicy",
    "VendorRecord",
    "alert_group",
    "alert_payload",
    "classify",
    "health_plan",
    "parse_shard",
    "shard_of",
]

_HOMES = {
    "AlertChannels": "alerts",
    "alert_payload": "alerts",
    "HealthProbe": "cycle",
    "health_plan": "cycle",
    "CycleReport": "options",
    "MonitorOptions": "options",
    "TargetPolicy": "policy",
    "Monitor": "service",
    "Shard": "shard",
    "parse_shard": "shard",
    "shard_of": "shard",
    "STATUSES": "status",
    "Status": "status",
    "VendorRecord": "status",
    "alert_group": "status",
    "classify": "status",
    "HistoryStore": "store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'harness.monitor' has no attribute {name!r}")
    return getattr(importlib.import_module(f"harness.monitor.{home}"), name)
