"""The engine: plans targets x checks x operations, runs them, emits typed events.

Every way of running checks goes through :class:`Engine`: ``harness run`` and the
reporters, the pytest plugin (one test per case, asking :meth:`Engine.verdict`),
``harness selftest`` and the monitor. It alone opens and closes target sessions.

Per target, checks run in plan order whoever asks: asking for a case's verdict runs
every planned check of that target up to the case's last one, so results do not depend
on which consumer drives the run or in which order it asks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

import httpx

from harness.checks import SessionOptions, TargetSession
from harness.client import Exchange
from harness.engine.events import (
    CaseFinished,
    CaseVerdict,
    CheckFinished,
    CheckStarted,
    Event,
    ExchangeRecorded,
    ExchangeView,
    RunFinished,
    RunStarted,
    TargetFailed,
    TargetFinished,
    TargetStarted,
)
from harness.engine.outcome import CheckResult, run_check
from harness.engine.plan import CaseKey, PlannedCheck, TargetPlan, plan_target
from harness.engine.session import EmulatorClock, clock_for, open_session
from harness.errors import HarnessError, TargetUnreachable
from harness.ratelimit import Clock
from harness.targets import Target
from harness.validation import SchemaStore

__all__ = ["Engine", "Listener", "TargetRun"]

Listener = Callable[[Event], None]


class EventBus:
    """Delivers events to listeners one at a time (targets may run in threads)."""

    def __init__(self, listeners: Iterable[Listener] = ()) -> None:
        self.listeners = list(listeners)
        self._lock = threading.RLock()

    def emit(self, event: Event) -> None:
        with self._lock:
            for listener in self.listeners:
                listener(event)


def case_verdict(
    target: Target, case: CaseKey, results: Sequence[CheckResult], views: Sequence[ExchangeView]
) -> CaseVerdict:
    """A clause's verdict for one operation from the results of its checks."""
    findings = tuple(f for r in results for f in r.findings if f.clause == case.clause.id)
    errors = [r for r in results if r.outcome == "error"]
    skipped = [r for r in results if r.outcome == "skipped"]
    outcome, reason = "passed", ""
    if errors:
        outcome, reason = "error", "; ".join(r.reason for r in errors)
    elif findings:
        outcome = "failed"
    elif skipped and len(skipped) == len(results):
        outcome, reason = "skipped", "; ".join(sorted({r.reason for r in skipped}))
    return CaseVerdict(
        target=target,
        clause=case.clause,
        operation=case.operation_id,
        checks=tuple(r.check for r in results),
        outcome=outcome,
        findings=findings,
        reason=reason,
        exchanges=tuple(views),
    )


class TargetRun:
    """One target's session, its plan and the results so far."""

    def __init__(
        self,
        plan: TargetPlan,
        bus: EventBus,
        *,
        options: SessionOptions,
        transport: httpx.BaseTransport | None = None,
        store: SchemaStore | None = None,
        clock_wrapper: Callable[[Clock], Clock] | None = None,
    ) -> None:
        self.plan = plan
        self.target = plan.target
        self.bus = bus
        self._options = options
        self._transport = transport
        self._store = store
        self._clock_wrapper = clock_wrapper
        self.session: TargetSession | None = None
        self.failure: str | None = None
        self.unreachable = False
        self.results: dict[tuple[str, str], CheckResult] = {}
        self.verdicts: dict[CaseKey, CaseVerdict] = {}
        self._views: dict[int, ExchangeView] = {}
        self._current: PlannedCheck | None = None
        self._cursor = 0
        self._started = 0.0
        self._lock = threading.Lock()

    # -- session --------------------------------------------------------------------
    def open(self) -> TargetSession | None:
        if self.session is not None or self.failure is not None:
            return self.session
        self._started = time.perf_counter()
        try:
            clock = clock_for(self.target)
            if self._clock_wrapper is not None and not isinstance(clock, EmulatorClock):
                clock = self._clock_wrapper(clock)  # before any request: throttles take it
            self.session = open_session(
                self.target,
                store=self._store,
                transport=self._transport,
                options=self._options,
                clock=clock,
            )
        except HarnessError as exc:
            self.unreachable = isinstance(exc, TargetUnreachable)
            self.failure = f"{self.target.name}: {exc}"
            self.bus.emit(TargetFailed(self.target, self.failure))
            return None
        self.session.client.listeners.append(self._recorded)
        self.bus.emit(TargetStarted(self.target, len(self.plan.checks), len(self.plan.cases)))
        return self.session

    def new_cycle(self) -> None:
        """Forget the last cycle's results and memo; keep the session (monitoring)."""
        self.results.clear()
        self.verdicts.clear()
        self._views.clear()
        self._cursor = 0
        if self.session is not None:
            self.session.memo.clear()
            self.session.client.sent = 0
            self.session.client.exchanges.clear()

    def close(self) -> None:
        if self.session is not None:
            self.bus.emit(
                TargetFinished(
                    self.target, self.session.client.sent, time.perf_counter() - self._started
                )
            )
            self.session.close()
            self.session = None

    def _recorded(self, exchange: Exchange) -> None:
        item = self._current
        check, op = item.key if item else ("", "")
        event = ExchangeRecorded(self.target, check, op, exchange, self.session.client.redactor)  # type: ignore[union-attr]
        self._views[id(exchange)] = event.view
        self.bus.emit(event)

    # -- running --------------------------------------------------------------------
    def run_check(self, item: PlannedCheck) -> CheckResult:
        """The result of one planned check (run now if it has not run yet)."""
        found = self.results.get(item.key)
        if found is not None:
            return found
        session = self.open()
        if session is None:
            raise HarnessError(self.failure or f"{self.target.name}: no session")
        self.bus.emit(CheckStarted(self.target, *item.key))
        self._current = item
        try:
            result = run_check(session, item.spec, item.operation)
        finally:
            self._current = None
        self.results[item.key] = result
        self.bus.emit(CheckFinished(self.target, result))
        self._decide_cases(item)
        return result

    def _decide_cases(self, item: PlannedCheck) -> None:
        for case, checks in self.plan.cases.items():
            if case in self.verdicts or item not in checks:
                continue
            if all(c.key in self.results for c in checks):
                results = [self.results[c.key] for c in checks]
                views = [
                    self._views[id(x)] for r in results for x in r.exchanges if id(x) in self._views
                ]
                verdict = case_verdict(self.target, case, results, views)
                self.verdicts[case] = verdict
                self.bus.emit(CaseFinished(verdict))

    def advance(self, upto: int | None = None) -> None:
        """Run the planned checks in order up to position ``upto`` (all by default)."""
        with self._lock:
            last = len(self.plan.checks) - 1 if upto is None else upto
            while self._cursor <= last:
                self.run_check(self.plan.checks[self._cursor])
                self._cursor += 1

    def verdict(self, case: CaseKey) -> CaseVerdict:
        """The case's verdict, running the plan up to its last check."""
        if case not in self.verdicts:
            self.advance(self.plan.case_position(case))
        return self.verdicts[case]

    def run_all(self) -> None:
        if self.open() is None:
            return
        self.advance()


class Engine:
    """Runs the plan of each target and tells the listeners what happens."""

    def __init__(
        self,
        targets: Sequence[Target],
        *,
        concerns: Iterable[str] | None = None,
        only: Iterable[str] | None = None,
        cases: Mapping[int, Iterable[tuple[str, str]]] | None = None,
        options: SessionOptions | None = None,
        transport: httpx.BaseTransport | None = None,
        listeners: Iterable[Listener] = (),
        store: SchemaStore | None = None,
    ) -> None:
        self.targets = list(targets)
        self.bus = EventBus(listeners)
        concerns = tuple(concerns) if concerns else None
        only = tuple(only) if only else None
        options = options or SessionOptions()
        self.runs = [
            TargetRun(
                plan_target(
                    t, concerns, only=only, cases=None if cases is None else cases.get(i, ())
                ),
                self.bus,
                options=options,
                transport=transport,
                store=store,
            )
            for i, t in enumerate(self.targets)
        ]
        self.started = time.time()
        self._announced = False
        self._finished: RunFinished | None = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def listen(self, listener: Listener) -> None:
        self.bus.listeners.append(listener)

    def start(self) -> None:
        """Announce the run (once)."""
        if not self._announced:
            self._announced = True
            self.started = time.time()
            self.bus.emit(RunStarted(tuple(self.targets), self.started))

    def run(self) -> RunFinished:
        """Run every target's plan and return (and emit) the run's end."""
        self.start()
        for run in self.runs:
            try:
                run.run_all()
            finally:
                run.close()
        return self.finish()

    def verdict(self, index: int, case: CaseKey) -> CaseVerdict:
        """The verdict of one case of target ``index`` (for one-test-per-case consumers)."""
        self.start()
        return self.runs[index].verdict(case)

    @property
    def results(self) -> list[CheckResult]:
        return [r for run in self.runs for r in run.results.values()]

    @property
    def verdicts(self) -> list[CaseVerdict]:
        return [v for run in self.runs for v in run.verdicts.values()]

    @property
    def setup_errors(self) -> list[str]:
        return [run.failure for run in self.runs if run.failure]

    def finish(self) -> RunFinished:
        """Close every session and emit the run's end (once)."""
        if self._finished is None:
            for run in self.runs:
                run.close()
            self._finished = RunFinished(
                started=self.started,
                finished=time.time(),
                results=tuple(self.results),
                cases=tuple(self.verdicts),
                setup_errors=tuple(self.setup_errors),
            )
            self.bus.emit(self._finished)
        return self._finished

    def close(self) -> None:
        self.finish()
