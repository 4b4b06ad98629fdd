"""The monitor itself: targets, cycles, history, alerts and metrics put together.

``Monitor.run_cycle`` probes every target once (each with its :class:`HealthProbe`) and,
after each target, writes its record (one transaction), updates the metrics and
delivers the alerts it triggered. ``Monitor.run_forever`` repeats that every
``interval`` seconds until its stop event is set; a stop request is honoured between
checks: the record of the target being probed is discarded (nothing of it written),
completed records are already committed. Library code never prints: callers pass
``on_record`` / ``on_alert`` to hear about progress.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from harness._resources import vendor_names
from harness.errors import HarnessError
from harness.monitor.alerts import AlertChannels, alert_payload, deliver_pending
from harness.monitor.cycle import DEFAULT_BUDGET, HealthProbe, Interrupted
from harness.monitor.metrics import MonitorMetrics
from harness.monitor.status import VendorRecord
from harness.monitor.store import DEFAULT_DB, HistoryStore, PendingAlert
from harness.targets import Target, load_target

__all__ = ["CycleReport", "Monitor", "MonitorOptions"]


@dataclass
class MonitorOptions:
    vendors: Sequence[str] = ()
    target_files: Sequence[Path] = ()
    db: str = DEFAULT_DB
    budget: int = DEFAULT_BUDGET
    channels: AlertChannels = field(default_factory=AlertChannels)
    metrics_file: Path | None = None
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"


@dataclass
class CycleReport:
    """What one cycle recorded; ``exit_code`` is the verdict of ``harness monitor --once``."""

    records: list[VendorRecord] = field(default_factory=list)
    alerts: list[tuple[PendingAlert, str | None]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """2 unreachable or harness error (or nothing recorded), 1 findings, 0 all healthy."""
        if self.interrupted or not self.records:
            return 2
        for record in self.records:
            if record.status == "unreachable" or record.errors or record.harness_errors:
                return 2
        return 1 if any(r.findings for r in self.records) else 0


RecordHook = Callable[[VendorRecord], None]
AlertHook = Callable[[PendingAlert, "str | None"], None]


class Monitor:
    """Health-checks targets cycle after cycle; use as a context manager."""

    def __init__(
        self,
        options: MonitorOptions,
        *,
        on_record: RecordHook | None = None,
        on_alert: AlertHook | None = None,
    ) -> None:
        self.options = options
        self.on_record = on_record or (lambda record: None)
        self.on_alert = on_alert or (lambda alert, error: None)
        self.emulators: list[Any] = []
        self.probes: list[HealthProbe] = []
        self.metrics = MonitorMetrics()
        self.metrics_port: int | None = None
        self.store: HistoryStore | None = None

    # -- setup ---------------------------------------------------------------------
    def __enter__(self) -> Monitor:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        options = self.options
        if options.target_files and options.vendors:
            raise HarnessError("give vendors (built-in emulators) or --target-file, not both")
        targets = [load_target(f) for f in options.target_files] or self._start_emulators()
        self.probes = [HealthProbe(t, budget=options.budget) for t in targets]
        self.store = HistoryStore(options.db)
        if options.metrics_port is not None:
            self.metrics_port = self.metrics.serve(options.metrics_port, options.metrics_host)

    def _start_emulators(self) -> list[Target]:
        from harness.emulators import make_tls, start_emulator

        known = vendor_names()
        for vendor in self.options.vendors:
            if vendor not in known:
                raise HarnessError(f"unknown vendor {vendor!r}; known vendors: {', '.join(known)}")
        folder = Path(tempfile.mkdtemp(prefix="harness-monitor-"))
        tls = make_tls(folder / "tls")
        targets = []
        for vendor in self.options.vendors or known:
            emu = start_emulator(vendor, tls=tls)
            self.emulators.append(emu)
            targets.append(load_target(emu.write_target(folder / f"{vendor}.toml"), environ={}))
        return targets

    def close(self) -> None:
        for probe in self.probes:
            probe.close()
        self.metrics.stop()
        if self.store is not None:
            self.store.close()
        for emu in self.emulators:
            emu.stop()
        self.emulators.clear()

    # -- cycles ----------------------------------------------------------------------
    def run_cycle(
        self, mode: str = "once", should_stop: Callable[[], bool] = lambda: False
    ) -> CycleReport:
        """Probe every target once, recording each as it completes."""
        store = self.store
        if store is None:
            raise HarnessError("the monitor is not started (use it as a context manager)")
        report = CycleReport()
        try:
            cycle_id = store.start_cycle(mode)
            for probe in self.probes:
                if should_stop():
                    report.interrupted = True
                    break
                try:
                    record = probe.run(should_stop)
                except Interrupted:
                    report.interrupted = True
                    break
                payload = partial(alert_payload, record, redactor=probe.redactor)
                store.save(cycle_id, record, self.options.channels.names, payload)
                report.records.append(record)
                self._publish(record)
                self.on_record(record)
                for alert, error in deliver_pending(store, self.options.channels):
                    report.alerts.append((alert, error))
                    self.on_alert(alert, error)
            if not report.interrupted:
                store.finish_cycle(cycle_id)
        except sa.exc.SQLAlchemyError as exc:
            raise HarnessError(f"the history database failed: {type(exc).__name__}: {exc}") from exc
        return report

    def _publish(self, record: VendorRecord) -> None:
        self.metrics.update(record)
        if self.options.metrics_file is not None:
            self.metrics.write(self.options.metrics_file)

    def run_forever(self, interval: float, stop: threading.Event) -> int:
        """A cycle every ``interval`` seconds (start to start) until ``stop`` is set;
        returns the number of cycles completed."""
        completed = 0
        while not stop.is_set():
            began = time.monotonic()
            report = self.run_cycle("service", stop.is_set)
            if report.interrupted:
                break
            completed += 1
            stop.wait(max(0.0, interval - (time.monotonic() - began)))
        return completed
