"""One health-check cycle of one target: the health selection, within a small budget.

The health selection is every check registered with ``health=True`` that links to a
clause of the vendor (:func:`harness.engine.planned_checks`), run only for the
vendor's *main* operation where a check runs per operation (one collection, not all of
them). It is read-only whatever the target file allows, throttled to at most
:data:`HEALTH_THROTTLE` of the documented rate limit (less if the target file says
so), and each cycle may send at most ``budget`` requests (never more than the target
file's ``[budget] max_requests``); checks past the budget are skipped with the reason.

A :class:`HealthProbe` keeps one session (HTTP client, clock, token, throttle memory)
for its target across cycles; only the per-cycle state (request count, recorded
exchanges, the checks' cache) is reset at the start of each cycle.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from harness.checks import CheckSpec, TargetSession
from harness.engine import CheckResult, open_session, planned_checks, run_check
from harness.errors import HarnessError, TargetUnreachable
from harness.monitor.status import (
    UNAVAILABLE,
    CheckRecord,
    FindingRecord,
    VendorRecord,
    classify,
)
from harness.profiles import Operation
from harness.ratelimit import Clock
from harness.redaction import Redactor
from harness.targets import Allow, Budget, Target

__all__ = ["DEFAULT_BUDGET", "HEALTH_THROTTLE", "HealthProbe", "Interrupted", "health_plan"]

DEFAULT_BUDGET = 40
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


def health_plan(session: TargetSession) -> list[tuple[CheckSpec, Operation | None]]:
    """The health checks of this vendor; a per-operation one runs on the main operation only
    (or on its first operation when the main one is not among them)."""
    plan = [(spec, op) for spec, op in planned_checks(session) if spec.health]
    with_main = {spec.name for spec, op in plan if op is not None and op.main}
    first: dict[str, str] = {}
    for spec, op in plan:
        if op is not None:
            first.setdefault(spec.name, op.id)
    return [
        (spec, op)
        for spec, op in plan
        if op is None or (op.main if spec.name in with_main else op.id == first[spec.name])
    ]


class HealthProbe:
    """Runs the health selection against one target, cycle after cycle."""

    def __init__(
        self,
        target: Target,
        *,
        budget: int = DEFAULT_BUDGET,
        throttle: float = HEALTH_THROTTLE,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.target = health_target(target, budget, throttle)
        self.redactor = Redactor(target.secrets)
        self._transport = transport
        self._session: TargetSession | None = None

    @property
    def session(self) -> TargetSession | None:
        return self._session

    def _open(self) -> TargetSession:
        if self._session is None:
            session = open_session(self.target, transport=self._transport)
            if not session.controls_clock:  # before any request: throttles take this clock
                session.client.clock = StoppableClock(session.client.clock)
            self._session = session
        session = self._session
        session.cache.clear()
        session.client.sent = 0
        session.client.exchanges.clear()
        return session

    def run(self, should_stop: Callable[[], bool] = lambda: False) -> VendorRecord:
        """One cycle; raises :class:`Interrupted` when ``should_stop()`` turns true."""
        started = time.time()
        try:
            session = self._open()
        except TargetUnreachable as exc:
            return self._record(started, [], (f"{UNAVAILABLE}: {exc}",), ())
        except HarnessError as exc:
            return self._record(started, [], (f"session: {exc}",), ())
        if isinstance(session.client.clock, StoppableClock):
            session.client.clock.should_stop = should_stop
        results: list[CheckResult] = []
        lost = False
        for spec, op in health_plan(session):
            if should_stop():
                raise Interrupted(f"{self.target.name}: stopped after {len(results)} checks")
            if lost:
                results.append(_not_run(session, spec, op, UNREACHED))
                continue
            if session.client.sent >= self.target.budget.max_requests:
                # Checked here too: a check that sends outside the client (transport.https-only)
                # counts its request but does not look at the budget first.
                results.append(
                    _not_run(session, spec, op, SPENT.format(self.target.budget.max_requests))
                )
                continue
            result = run_check(session, spec, op)
            results.append(result)
            lost = result.outcome == "error" and result.reason.startswith(UNAVAILABLE)
        latencies = tuple(x.elapsed for x in session.client.exchanges)
        session.client.exchanges.clear()
        return self._record(started, results, (), latencies, session.client.sent)

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
        if self._session is not None:
            self._session.client.close()
            clock = self._session.client.clock
            close = getattr(getattr(clock, "inner", clock), "close", None)
            if close is not None:
                close()
            self._session = None


UNREACHED = "not run: the target was unavailable earlier in this cycle"
SPENT = "not run: the request budget of {} for this cycle is used up; raise --budget"


def _not_run(
    session: TargetSession, spec: CheckSpec, op: Operation | None, reason: str
) -> CheckResult:
    return CheckResult(
        vendor=session.target.vendor,
        check=spec.name,
        concern=spec.concern,
        operation=op.id if op else "",
        clauses=tuple(c.id for c in session.clauses.get(spec.name, ())),
        outcome="skipped",
        reason=reason,
    )
