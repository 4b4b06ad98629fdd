"""One target's run: its session, its plan in order, its results and case verdicts.

A :class:`TargetRun` opens the target's session (client, clock, memo), runs its planned
checks in plan order whoever asks (:meth:`~TargetRun.advance`, :meth:`~TargetRun.verdict`),
decides each case once all its checks have run, and tells its emitter (the engine's bus,
or its lane of an ordered parallel run) what happens. The monitor keeps one per target
across cycles (:meth:`~TargetRun.new_cycle`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import httpx

from harness.checks import SessionOptions, TargetSession
from harness.client import Exchange
from harness.engine.bus import Emitter
from harness.engine.events import (
    CaseFinished,
    CaseVerdict,
    CheckFinished,
    CheckStarted,
    ExchangeRecorded,
    ExchangeView,
    TargetFailed,
    TargetFinished,
    TargetStarted,
)
from harness.engine.outcome import CheckResult, run_check
from harness.engine.plan import CaseKey, PlannedCheck, TargetPlan
from harness.engine.session import EmulatorClock, clock_for, open_session
from harness.errors import HarnessError, TargetUnreachable
from harness.ratelimit import Clock
from harness.targets import Target
from harness.validation import SchemaStore

__all__ = ["TargetRun", "case_verdict"]


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
        bus: Emitter,
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
        self._last_view: ExchangeView | None = None  # bodies are redacted in this order
        self._current: PlannedCheck | None = None
        self._cursor = 0
        self._started = 0.0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._opening = threading.Lock()

    # -- session --------------------------------------------------------------------
    def open(self) -> TargetSession | None:
        with self._opening:  # a background thread and a test may ask at once
            return self._open()

    def _open(self) -> TargetSession | None:
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
        self._last_view = None
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
        redactor = self.session.client.redactor  # type: ignore[union-attr]
        event = ExchangeRecorded(self.target, check, op, exchange, redactor, self._last_view)
        self._last_view = self._views[id(exchange)] = event.view
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
                # an exchange one check sent and another reused is evidence once
                judged = {id(x): x for r in results for x in r.judged if id(x) in self._views}
                views = [self._views[key] for key in judged]
                verdict = case_verdict(self.target, case, results, views)
                self.verdicts[case] = verdict
                self.bus.emit(CaseFinished(verdict))

    def advance(self, upto: int | None = None) -> None:
        """Run the planned checks in order up to position ``upto`` (all by default).

        One check at a time under the run's lock, so a test asking for a verdict and a
        background thread working through the plan take turns, in plan order.
        """
        last = len(self.plan.checks) - 1 if upto is None else upto
        while not self._stopped.is_set():
            with self._lock:
                if self._cursor > last:
                    return
                self.run_check(self.plan.checks[self._cursor])
                self._cursor += 1

    def stop(self) -> None:
        """Run no further check (the one running ends first): the run is being abandoned."""
        self._stopped.set()

    def verdict(self, case: CaseKey) -> CaseVerdict:
        """The case's verdict, running the plan up to its last check."""
        if case not in self.verdicts:
            self.advance(self.plan.case_position(case))
        found = self.verdicts.get(case)
        if found is None:
            raise HarnessError(
                f"{self.target.name}: the run was stopped before {case.label} was decided"
            )
        return found

    def run_all(self) -> None:
        if self.open() is None:
            return
        self.advance()
