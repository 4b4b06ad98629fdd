"""What a run would do to a target, before it touches it: checks, requests, writes, budget,
time.

A live target is someone else's production, so ``harness plan`` (and ``harness run``
before a live run) measures the plan instead of guessing it: the target's own settings
(mode, permissions, strictness, endpoint inventory, suites) run against the vendor's
built-in emulator, and every check's requests are counted. The client's throttle waits
advance the emulator's virtual clock instead of sleeping, so a plan that would take an
hour at the target's throttle is measured in seconds, and those waits plus the emulator's
answer times are the estimated wall time at the configured throttle. Endpoints the
emulator does not serve (a team's own operations) answer 404 there: their requests are
counted as the checks sent them.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from harness.checks import SessionOptions
from harness.emulators import make_tls, start_emulator, vendor_module
from harness.emulators._base import WriteClassifier
from harness.engine import CheckResult, EmulatorClock, EventBus, TargetRun, plan_target
from harness.errors import HarnessError
from harness.ratelimit import Clock
from harness.targets import Budget, Target, Transport

__all__ = ["CheckEstimate", "TargetEstimate", "estimate", "estimate_all", "over_budget"]

# The measurement's own cap: high enough to see what the whole plan needs.
MEASURE_BUDGET = 1_000_000


@dataclass(frozen=True)
class CheckEstimate:
    """One planned check (on one operation): what it sent to the emulator."""

    check: str
    concern: str
    operation: str
    requests: int
    writes: int
    outcome: str
    reason: str = ""


@dataclass
class TargetEstimate:
    """The measured plan of one target."""

    target: Target
    checks: list[CheckEstimate] = field(default_factory=list)
    throttle_seconds: float = 0.0  # the client throttle's waits at the target's throttle
    answer_seconds: float = 0.0  # the emulator's answer times (a live API is slower)

    @property
    def requests(self) -> int:
        return sum(c.requests for c in self.checks)

    @property
    def writes(self) -> int:
        return sum(c.writes for c in self.checks)

    @property
    def budget(self) -> int:
        return self.target.budget.max_requests

    @property
    def over_budget(self) -> bool:
        return self.requests > self.budget

    @property
    def seconds(self) -> float:
        """Estimated wall time: throttle waits and answer times (emulated clocks aside)."""
        return self.throttle_seconds + self.answer_seconds

    @property
    def running(self) -> list[CheckEstimate]:
        """The checks that would send something or judge something (not skipped)."""
        return [c for c in self.checks if c.outcome != "skipped"]


class _Waits:
    """A client clock whose waits advance the emulator's virtual clock (no real sleep),
    adding them up; the time a live target's throttle would make the run wait."""

    def __init__(self, emulator: EmulatorClock) -> None:
        self.emulator = emulator
        self.waited = 0.0

    def now(self) -> float:
        return self.emulator.now()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.emulator.advance(seconds)


class _ControlledWaits(EmulatorClock):
    """The same for a target that allows clock control (its clock checks run too); its
    waits are virtual time on an emulator, not wall time."""

    waited = 0.0

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.advance(seconds)


def _measured_target(
    target: Target, base_url: str, ca: Path, credentials: dict[str, str]
) -> Target:
    """The target's settings, pointed at the emulator, without a budget cap."""
    return replace(
        target,
        base_url=base_url,
        credentials=credentials,
        ca_bundle=ca,
        allow=replace(target.allow, clock_control=False),  # the clock is given below
        budget=Budget(MEASURE_BUDGET, target.budget.throttle),
        transport=Transport(),
    )


def _writes(classify: WriteClassifier, result: CheckResult) -> int:
    return sum(classify(x.method, urlsplit(x.url).path, x.status) for x in result.exchanges)


def estimate(
    target: Target,
    *,
    concerns: Iterable[str] | None = None,
    max_examples: int | None = None,
) -> TargetEstimate:
    """Measure the plan of ``target`` against its vendor's built-in emulator."""
    folder = Path(tempfile.mkdtemp(prefix="harness-plan-"))
    emulator = None
    try:
        tls = make_tls(folder / "tls")
        emulator = start_emulator(target.vendor, tls=tls)
        credentials = vendor_module(target.vendor).credentials()
        measured = _measured_target(target, emulator.base_url, tls.ca, credentials)
        verify = ssl.create_default_context(cafile=str(tls.ca))
        controlled = target.mode == "emulator" and target.allow.clock_control
        waits: list[_Waits | _ControlledWaits] = []

        def clock(_: Clock) -> Clock:
            made: _Waits | _ControlledWaits
            if controlled:
                made = _ControlledWaits(emulator.origin, verify)
            else:
                made = _Waits(EmulatorClock(emulator.origin, verify))
            waits.append(made)
            return made

        plan = plan_target(measured, tuple(concerns) if concerns else None)
        run = TargetRun(
            plan,
            EventBus(()),
            options=SessionOptions(max_examples=max_examples),
            clock_wrapper=clock,
        )
        try:
            run.run_all()
        finally:
            run.close()
        if run.failure:
            raise HarnessError(f"could not measure the plan of {target.name}: {run.failure}")
        classify = WriteClassifier(measured.profile)
        result = TargetEstimate(target)
        for item in plan.checks:
            found = run.results.get(item.key)
            if found is None:
                continue
            result.checks.append(
                CheckEstimate(
                    check=found.check,
                    concern=found.concern,
                    operation=found.operation,
                    requests=found.requests,
                    writes=_writes(classify, found),
                    outcome=found.outcome,
                    reason=found.reason,
                )
            )
            result.answer_seconds += sum(x.elapsed for x in found.exchanges)
        if not controlled:  # virtual time on an emulator target is not wall time
            result.throttle_seconds = sum(w.waited for w in waits)
        return result
    finally:
        if emulator is not None:
            emulator.stop()
        shutil.rmtree(folder, ignore_errors=True)


def estimate_all(
    targets: Sequence[Target],
    *,
    concerns: Iterable[str] | None = None,
    max_examples: int | None = None,
) -> list[TargetEstimate]:
    """:func:`estimate` of each target, in order."""
    concerns = tuple(concerns) if concerns else None
    return [estimate(t, concerns=concerns, max_examples=max_examples) for t in targets]


def over_budget(estimates: Sequence[TargetEstimate]) -> str | None:
    """One line naming every target whose plan needs more requests than its budget."""
    over = [e for e in estimates if e.over_budget]
    if not over:
        return None
    named = "; ".join(
        f"{e.target.name} needs about {e.requests} requests, its budget is {e.budget}" for e in over
    )
    return (
        f"the plan exceeds the request budget ({named}): raise [budget] max_requests, check "
        "fewer endpoints ([inventory] exclude) or suites (--suite), or pass --over-budget "
        "to run anyway (the run stops at the budget and reports what it could not check)"
    )
