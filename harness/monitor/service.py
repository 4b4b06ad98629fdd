"""The monitor itself: targets checked side by side, history, alerts and metrics.

Every target has its own worker (a thread of a pool sized to the fleet), its own throttle
(or one shared with targets of the same account) and budget, so a slow or dead target
never delays the others. A **cycle** starts every target that is not still busy with the
previous one; each record is written as soon as its target finishes (one transaction),
in the monitor's main thread, which also updates the metrics and sends the alerts that
are due. ``--once`` is one cycle; ``--interval`` starts one every interval (start to
start; a target still busy skips a cycle, and says so).

Alerts wait up to ``group_wait`` for others of their vendor and go out grouped; at the
end of a cycle everything pending goes. A stop request is honoured between checks and
during throttle waits: the records of targets still in flight are discarded (nothing of
them written), completed ones are kept. Library code never prints: callers pass hooks.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial

import sqlalchemy as sa

from harness.errors import HarnessError
from harness.monitor.alerts import alert_payload, group_message, groups
from harness.monitor.config import MonitorConfig, load_config
from harness.monitor.cycle import HealthProbe, Interrupted
from harness.monitor.fleet import Fleet, build_fleet
from harness.monitor.maintenance import Maintenance
from harness.monitor.metrics import MonitorMetrics
from harness.monitor.options import CycleReport, MonitorOptions
from harness.monitor.outbox import Outbox
from harness.monitor.recorder import Recorder
from harness.monitor.status import VendorRecord, alert_group
from harness.monitor.store import Cycle, HistoryStore
from harness.validation import default_store

__all__ = ["CycleReport", "Monitor", "MonitorOptions"]

RecordHook = Callable[[VendorRecord], None]
AlertHook = Callable[[str, dict, "str | None"], None]  # type: ignore[type-arg]
NoteHook = Callable[[str], None]
FLUSH_PATIENCE = 30.0  # --once: how long to retry writing to a database that went away


class _Tick:
    def __init__(self, cycle: Cycle, keys: set[str]) -> None:
        self.cycle = cycle
        self.waiting = keys
        self.report = CycleReport()


class Monitor:
    """Health-checks targets cycle after cycle; use as a context manager."""

    def __init__(
        self,
        options: MonitorOptions,
        *,
        on_record: RecordHook | None = None,
        on_alert: AlertHook | None = None,
        on_note: NoteHook | None = None,
    ) -> None:
        self.options = options
        self.on_record = on_record or (lambda record: None)
        self.on_alert = on_alert or (lambda channel, message, error: None)
        self.on_note = on_note or (lambda text: None)
        self.fleet = Fleet()
        self.metrics = MonitorMetrics()
        self.metrics_port: int | None = None
        self.store: HistoryStore | None = None
        self.config = MonitorConfig()
        self._results: queue.Queue[tuple[HealthProbe, _Tick, VendorRecord | None]] = queue.Queue()
        self._busy: set[str] = set()
        self._pool: ThreadPoolExecutor | None = None
        self.completed = 0  # cycles in which every target was recorded

    @property
    def probes(self) -> list[HealthProbe]:
        return self.fleet.probes

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
        if options.config is not None:
            self.config = load_config(options.config)
        default_store()  # load the schemas once, before the worker threads want them
        self.store = HistoryStore(options.db)  # a bad --db fails before emulators start
        self.fleet = build_fleet(
            self.config,
            vendors=options.vendors,
            target_files=options.target_files,
            shard=options.shard,
            budget=options.budget,
            options=options.policy,
        )
        self.outbox = Outbox(self.store)
        self.recorder = Recorder(self.store, on_outage=self._outage)
        self.maintenance = Maintenance(self.config.maintenance)
        self._seed(self.store)
        workers = options.concurrency or max(1, len(self.probes))
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="monitor")
        if options.metrics_port is not None:
            self.metrics_port = self.metrics.serve(options.metrics_port, options.metrics_host)

    def _seed(self, store: HistoryStore) -> None:
        """What the history already knows: each target's alert group and latency window."""
        now = time.time()
        states = store.alert_states()
        longest = max((p.policy.latency_window for p in self.probes), default=0.0)
        samples = store.recent_latencies(now - longest) if longest else {}
        for probe in self.probes:
            state = states.get(probe.key)
            probe.last_group = state.group if state else None
            for at, value in samples.get(probe.key, []):
                if at >= now - probe.policy.latency_window:
                    probe.window.add(at, (value,))
        self.maintenance.refresh(store, now)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self.fleet.close()
        self.metrics.stop()
        if self.store is not None:
            self.store.close()

    @property
    def group_wait(self) -> float:
        if self.options.group_wait is not None:
            return self.options.group_wait
        return 30.0 if self.config.group_wait is None else self.config.group_wait

    # -- cycles ----------------------------------------------------------------------
    def _start_tick(self, mode: str, should_stop: Callable[[], bool]) -> _Tick:
        if self._pool is None or self.store is None:
            raise HarnessError("the monitor is not started (use it as a context manager)")
        shard = str(self.options.shard) if self.options.shard else None
        tick = _Tick(Cycle(mode, time.time(), shard), set())
        if self.recorder.available:
            with contextlib.suppress(sa.exc.SQLAlchemyError):  # else last read's stay in force
                self.maintenance.refresh(self.store, time.time())
        for probe in self.probes:
            if probe.key in self._busy:
                self.on_note(f"{probe.target.name}: still busy with the previous cycle; skipped")
                continue
            self._busy.add(probe.key)
            tick.waiting.add(probe.key)
            self._pool.submit(self._work, probe, tick, should_stop)
        return tick

    def _work(self, probe: HealthProbe, tick: _Tick, should_stop: Callable[[], bool]) -> None:
        record: VendorRecord | None
        try:
            record = probe.check(should_stop)
        except Interrupted:
            record = None
        except Exception as exc:  # a harness bug on one target must not stop the others
            record = probe.failed_record(time.time(), f"harness bug: {type(exc).__name__}: {exc}")
        self._results.put((probe, tick, record))

    def _drain(self, timeout: float) -> None:
        """Handle finished targets for up to ``timeout`` seconds (returns after the first)."""
        try:
            probe, tick, record = self._results.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return
        while True:
            self._finished(probe, tick, record)
            try:
                probe, tick, record = self._results.get_nowait()
            except queue.Empty:
                return

    def _finished(self, probe: HealthProbe, tick: _Tick, record: VendorRecord | None) -> None:
        self._busy.discard(probe.key)
        tick.waiting.discard(probe.key)
        if record is None:
            tick.report.interrupted = True
        else:
            reason = self.maintenance.reason(record.vendor, record.target, record.finished)
            record = replace(record, maintenance=reason)
            if reason is None:
                probe.last_group = alert_group(record.status)
            payload = partial(alert_payload, record, redactor=probe.redactor)
            channels = self.options.channels.names
            self.recorder.save(tick.cycle, record, channels, payload, probe.policy.reminder)
            tick.report.records.append(record)
            self.metrics.update(record)
            self._publish()
            self.on_record(record)
        if not tick.waiting and not tick.report.interrupted:
            self.recorder.finish(tick.cycle)
            self.completed += 1
            self._deliver(time.time(), tick.report)

    def _outage(self, text: str) -> None:
        self.metrics.history(self.recorder.available, len(self.recorder.waiting))
        self.on_note(text)

    def _publish(self) -> None:
        self.metrics.history(self.recorder.available, len(self.recorder.waiting))
        if self.options.metrics_file is not None:
            self.metrics.write(self.options.metrics_file)

    def _deliver(self, due_before: float, report: CycleReport | None = None) -> None:
        """Claim the due alerts, send them grouped, record how it went."""
        channels = self.options.channels
        if not channels.names or not self.recorder.available:
            return
        try:
            claimed = self.outbox.claim(channels.names, due_before)
            for members in groups(claimed):
                message = group_message(members)
                outcome = channels.deliver(members[0].channel, message)
                self.outbox.settle([m.id for m in members], outcome.error, retry=outcome.retry)
                if report is not None:
                    report.alerts.append((members[0].channel, message, outcome.error))
                self.on_alert(members[0].channel, message, outcome.error)
        except sa.exc.SQLAlchemyError as exc:
            self.on_note(f"alerts not sent this time (history database: {type(exc).__name__})")

    def run_cycle(
        self, mode: str = "once", should_stop: Callable[[], bool] = lambda: False
    ) -> CycleReport:
        """Check every target once, recording each as it completes."""
        tick = self._start_tick(mode, should_stop)
        while tick.waiting:
            self._drain(0.2)
            self._deliver(time.time() - self.group_wait, tick.report)
        self._deliver(time.time(), tick.report)
        deadline = time.monotonic() + FLUSH_PATIENCE
        while not self.recorder.flush() and time.monotonic() < deadline and not should_stop():
            time.sleep(0.5)
        tick.report.unsaved = sum(1 for _ in self.recorder.waiting)
        return tick.report

    def run_forever(self, interval: float, stop: threading.Event) -> int:
        """A cycle every ``interval`` seconds until ``stop`` is set; returns the number of
        cycles completed."""
        next_tick = time.monotonic()
        while not stop.is_set():
            now = time.monotonic()
            if now >= next_tick:
                self._start_tick("service", stop.is_set)
                while next_tick <= now:
                    next_tick += interval
            self._drain(min(1.0, next_tick - time.monotonic()))
            self._deliver(time.time() - self.group_wait)
            self.recorder.flush()
        while self._busy:  # the targets in flight end at their next check (or throttle wait)
            self._drain(0.2)
        self.recorder.flush(force=True)
        return self.completed
