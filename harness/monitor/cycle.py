"""One health-check cycle of one target: the health selection, within a small budget.

The health selection is every check registered with ``health=True`` that links to a
clause of the vendor (:func:`harness.engine.planned_checks`), run only for the
vendor's *main* operation where a check runs per operation (one collection, not all of
them). It is read-only whatever the target file allows, throttled to at most
:data:`HEALTH_THROTTLE` of the documented rate limit (less if the target file says
so), and each cycle may send at most ``budget`` requests (never more than the target
file's ``[budget] max_requests``); checks past the budget are skipped with the reason.

A :class:`HealthProbe` keeps one engine :class:`~harness.engine.TargetRun` (its session:
HTTP client, clock, token, throttle memory) for its target across cycles; only the
per-cycle state (request count, recorded exchanges, results, the checks' memo) is reset
at the start of each cycle. Throttles can be shared with other targets that draw on the
same rate-limit allowance (:mod:`harness.monitor.throttles`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from harness.checks import SessionOptions, TargetSession
from harness.engine import (
    UNAVAILABLE as UNAVAILABLE_REASON,
)
from harness.engine import (
    CheckResult,
    Listener,
    PlannedCheck,
    TargetRun,
    not_run,
    plan_target,
)
from harness.engine.run import EventBus
from harness.errors import HarnessError
from harness.monitor.defaults import DEFAULT_BUDGET
from harness.monitor.latency import LatencyWindow, apply_thresholds
from harness.monitor.policy import TargetPolicy
from harness.monitor.status import (
    UNAVAILABLE,
    CheckRecord,
    FindingRecord,
    VendorRecord,
    alert_group,
    classify,
)
from harness.ratelimit import Clock, Throttle
from harness.redaction import Redactor
from harness.targets import Allow, Budget, Target

__all__ = ["DEFAULT_BUDGET", "HEALTH_THROTTLE", "HealthProbe", "Interrupted", "health_plan"]

HEALTH_THROTTLE = 0.5


class Interrupted(BaseException):
    """The cycle was asked to stop before it completed; nothing of it is recorded.

    A ``BaseException`` (like ``KeyboardInterrupt``) so that it passes through
    :func:`run_check`, which turns every ``Exception`` of a check into a harness error.
    """


class StoppableClock:
    """Real time whose sleeps (the throttle's waits) end early, raising
    :class:`Interrupted`, once ``should_stop()`` turns true."""

    def __init__(self, inner: Clock) -> None:
        self.inner = inner
        self.should_stop: Callable[[], bool] = lambda: False

    def now(self) -> float:
        return self.inner.now()

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.should_stop():
                raise Interrupted("stopped while waiting for the throttle")
            self.inner.sleep(min(left, 0.1))


def health_target(target: Target, budget: int, throttle: float) -> Target:
    """The target as the monitor probes it: read-only, per-cycle budget, slower throttle."""
    if budget < 1:
        raise HarnessError(f"--budget {budget}: expected at least 1 request per cycle")
    allow = Allow(clock_control=target.allow.clock_control and target.mode == "emulator")
    cap = min(budget, target.budget.max_requests)
    return replace(target, allow=allow, budget=Budget(cap, min(target.budget.throttle, throttle)))


def health_plan(target: Target) -> list[PlannedCheck]:
    """The health checks of this vendor; a per-operation one runs on the main operation only
    (or on its first operation when the main one is not among them)."""
    plan = [c for c in plan_target(target).checks if c.spec.health]
    with_main = {c.spec.name for c in plan if c.operation is not None and c.operation.main}
    first: dict[str, str] = {}
    for c in plan:
        if c.operation is not None:
            first.setdefault(c.spec.name, c.operation.id)
    return [
        c
        for c in plan
        if c.operation is None
        or (c.operation.main if c.spec.name in with_main else c.operation.id == first[c.spec.name])
    ]


class HealthProbe:
    """Runs the health selection against one target, cycle after cycle.

    :meth:`run` is one attempt; :meth:`check` is what a cycle does with the target's
    policy: an attempt, re-checks of a failing one (spaced out, before the status
    changes), then the latency thresholds over the target's window. After an attempt
    that could not reach the target, the next one starts a fresh session (new
    connections, no memory of the failures).
    """

    def __init__(
        self,
        target: Target,
        *,
        budget: int = DEFAULT_BUDGET,
        throttle: float = HEALTH_THROTTLE,
        transport: httpx.BaseTransport | None = None,
        listeners: tuple[Listener, ...] = (),
        policy: TargetPolicy | None = None,
        throttles: dict[str, Throttle] | None = None,
    ) -> None:
        self.policy = policy or TargetPolicy()
        self.target = health_target(target, self.policy.budget or budget, throttle)
        self.key = f"{self.target.vendor}|{self.target.name}"
        self.redactor = Redactor(target.secrets)
        self.plan = health_plan(self.target)
        self.window = LatencyWindow(self.policy.latency_window)
        self.last_group: str | None = None  # what on-call was last told (ok, down, None)
        self._transport = transport
        self._listeners = listeners
        self.throttles = throttles
        self._run = self._new_run()

    def _new_run(self) -> TargetRun:
        return TargetRun(
            plan_target(self.target, only={c.spec.name for c in self.plan}),
            EventBus(self._listeners),
            options=SessionOptions(),
            transport=self._transport,
            clock_wrapper=StoppableClock,
        )

    @property
    def session(self) -> TargetSession | None:
        return self._run.session

    def _open(self) -> TargetSession:
        fresh = self._run.session is None
        session = self._run.open()
        if session is None:
            raise HarnessError(self._run.failure or f"{self.target.name}: no session")
        if fresh and self.throttles is not None and not session.controls_clock:
            session.client.share_throttles(self.throttles)
        self._run.new_cycle()
        return session

    def check(self, should_stop: Callable[[], bool] = lambda: False) -> VendorRecord:
        """One cycle under the target's policy (see the class docstring)."""
        record = self.run(should_stop)
        first = record
        attempts = 1
        if self.last_group != "down":  # a change of group is confirmed before it counts
            while alert_group(record.status) == "down" and attempts <= self.policy.retries:
                _wait(self.policy.retry_delay, should_stop)
                record = self.run(should_stop)
                attempts += 1
        if attempts > 1:
            if alert_group(record.status) == "down":
                note = f"{first.status}, confirmed by {attempts - 1} re-check(s)"
            else:
                note = f"{first.status} at first, {record.status} on re-check {attempts - 1}"
            record = replace(record, attempts=attempts, notes=(*record.notes, note))
        return apply_thresholds(record, self.window, self.policy)

    def run(self, should_stop: Callable[[], bool] = lambda: False) -> VendorRecord:
        """One attempt; raises :class:`Interrupted` when ``should_stop()`` turns true."""
        record = self._attempt(should_stop)
        if record.status == "unreachable" or self._run.failure is not None:
            self._run.close()
            self._run = self._new_run()
        return record

    def _attempt(self, should_stop: Callable[[], bool]) -> VendorRecord:
        started = time.time()
        try:
            session = self._open()
        except HarnessError as exc:
            failure = self._run.failure or str(exc)
            if self._run.unreachable:
                return self._record(started, [], (f"{UNAVAILABLE}: {failure}",), ())
            return self._record(started, [], (f"session: {failure}",), ())
        if isinstance(session.client.clock, StoppableClock):
            session.client.clock.should_stop = should_stop
        results: list[CheckResult] = []
        lost = False
        for item in self.plan:
            spec, op = item.spec, item.operation
            if should_stop():
                raise Interrupted(f"{self.target.name}: stopped after {len(results)} checks")
            if lost:
                results.append(not_run(session, spec, op, UNREACHED))
                continue
            if session.client.sent >= self.target.budget.max_requests:
                # Checked here too: a check that sends outside the client (transport.https-only)
                # counts its request but does not look at the budget first.
                results.append(
                    not_run(session, spec, op, SPENT.format(self.target.budget.max_requests))
                )
                continue
            result = self._run.run_check(item)
            results.append(result)
            lost = result.outcome == "error" and result.reason.startswith(UNAVAILABLE_REASON)
        latencies = tuple(x.elapsed for x in session.client.exchanges)
        session.client.exchanges.clear()
        return self._record(started, results, (), latencies, session.client.sent)

    def failed_record(self, started: float, message: str) -> VendorRecord:
        """A record of an attempt that failed inside the harness (a harness error)."""
        return self._record(started, [], (message,), ())

    def _record(
        self,
        started: float,
        results: list[CheckResult],
        errors: tuple[str, ...],
        latencies: tuple[float, ...],
        sent: int = 0,
    ) -> VendorRecord:
        text = self.redactor.text
        checks = tuple(
            CheckRecord(
                check=r.check,
                operation=r.operation,
                outcome=r.outcome,
                clauses=r.clauses,
                requests=r.requests,
                seconds=round(r.seconds, 6),
                reason=text(r.reason),
            )
            for r in results
        )
        findings = tuple(
            FindingRecord(
                clause=f.clause,
                check=f.check,
                severity=f.severity,
                operation=f.operation,
                title=text(f.title),
                message=text(f.message),
            )
            for r in results
            for f in r.findings
        )
        errors = tuple(text(e) for e in errors)
        return VendorRecord(
            vendor=self.target.vendor,
            target=text(self.target.name),
            mode=self.target.mode,
            status=classify(checks, findings, errors),
            started=started,
            finished=time.time(),
            requests=sent,
            budget=self.target.budget.max_requests,
            checks=checks,
            findings=findings,
            latencies=latencies,
            errors=errors,
        )

    def close(self) -> None:
        self._run.close()


def _wait(seconds: float, should_stop: Callable[[], bool]) -> None:
    """Sleep, waking every 0.1 s to honour a stop request."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if should_stop():
            raise Interrupted("stopped while waiting to re-check")
        time.sleep(min(left, 0.1))


UNREACHED = "not run: the target was unavailable earlier in this cycle"
SPENT = "not run: the request budget of {} for this cycle is used up; raise --budget"
