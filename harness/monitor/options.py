"""What a monitor is asked to do (:class:`MonitorOptions`) and what a cycle did
(:class:`CycleReport`, whose ``exit_code`` is the verdict of ``harness monitor --once``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.monitor.alerts import AlertChannels
from harness.monitor.cycle import DEFAULT_BUDGET
from harness.monitor.shard import Shard
from harness.monitor.status import VendorRecord
from harness.monitor.store import DEFAULT_DB

__all__ = ["CycleReport", "MonitorOptions"]


@dataclass
class MonitorOptions:
    vendors: Sequence[str] = ()
    target_files: Sequence[Path] = ()
    config: Path | None = None
    db: str = DEFAULT_DB
    budget: int = DEFAULT_BUDGET
    channels: AlertChannels = field(default_factory=AlertChannels)
    metrics_file: Path | None = None
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    shard: Shard | None = None
    concurrency: int | None = None  # targets checked at once (default: all of them)
    group_wait: float | None = None  # default: the config file's, else 30 s
    # Per-target policy set on the command line (TargetPolicy field -> value; None: unset).
    policy: dict[str, Any] = field(default_factory=dict)


@dataclass
class CycleReport:
    """What one cycle recorded and sent."""

    records: list[VendorRecord] = field(default_factory=list)
    alerts: list[tuple[str, dict[str, Any], str | None]] = field(default_factory=list)
    interrupted: bool = False
    unsaved: int = 0  # records the history database never accepted

    @property
    def exit_code(self) -> int:
        """2 unreachable, harness error, records not saved (or nothing recorded); 1 findings
        or a latency threshold crossed; 0 all healthy."""
        if self.interrupted or not self.records or self.unsaved:
            return 2
        for record in self.records:
            if record.status == "unreachable" or record.errors or record.harness_errors:
                return 2
        if any(r.findings or r.status != "healthy" for r in self.records):
            return 1
        return 0
