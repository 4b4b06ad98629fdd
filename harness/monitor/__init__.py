"""Scheduled health checks of the vendor targets (``harness monitor`` / ``harness history``).

- :mod:`~harness.monitor.cycle`: the health selection of one target, within a per-cycle
  request budget, with one client kept across cycles;
- :mod:`~harness.monitor.status`: the record of a cycle and the status rules;
- :mod:`~harness.monitor.store`: the history (SQLAlchemy Core; SQLite by default);
- :mod:`~harness.monitor.alerts`: alerts on a change of state, de-duplicated in the history;
- :mod:`~harness.monitor.metrics`: Prometheus metrics (textfile or HTTP);
- :mod:`~harness.monitor.service`: all of it, once or on an interval;
- :mod:`~harness.monitor.history` and :mod:`~harness.monitor.chart`: reading it back.
"""

from __future__ import annotations

from harness.monitor.alerts import AlertChannels, alert_payload
from harness.monitor.cycle import DEFAULT_BUDGET, HealthProbe, health_plan
from harness.monitor.service import CycleReport, Monitor, MonitorOptions
from harness.monitor.status import STATUSES, Status, VendorRecord, alert_group, classify
from harness.monitor.store import DEFAULT_DB, HistoryStore

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
    "Status",
    "VendorRecord",
    "alert_group",
    "alert_payload",
    "classify",
    "health_plan",
]
