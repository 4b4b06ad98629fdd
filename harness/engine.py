"""Running checks against targets: sessions, clocks, outcomes.

The engine is independent of pytest: :func:`open_session` prepares one target and
:func:`run_check` runs one check on it and classifies what happened:

- ``passed``: no finding;
- ``failed``: the vendor broke a clause (findings attached);
- ``skipped``: the check cannot run here, with the reason (not applicable, a
  permission the target does not grant, the request budget used up);
- ``error``: the harness could not run the check (target unreachable, bad config,
  a bug in the harness): never reported as a vendor finding.
"""

from __future__ import annotations

import ssl
import time
import traceback
from dataclasses import dataclass, field
from typing import Literal

import httpx

from harness.catalog import Catalog
from harness.checks import (
    CheckContext,
    CheckSkipped,
    CheckSpec,
    TargetSession,
    load_all,
    routing_for,
)
from harness.client import BudgetExhausted, Exchange, HarnessClient, WriteNotAllowed
from harness.errors import HarnessError, TargetUnreachable
from harness.findings import Finding
from harness.profiles import Operation
from harness.ratelimit import Clock, SystemClock
from harness.targets import Target
from harness.validation import SchemaStore, default_store

__all__ = ["CheckResult", "EmulatorClock", "open_session", "planned_checks", "run_check"]

Outcome = Literal["passed", "failed", "skipped", "error"]


class EmulatorClock:
    """The clock of an emulator that allows clock control: sleeping advances it.

    ``now`` follows real time plus everything advanced so far, as the emulator's
    flowing clock does, so no control request is needed to read it.
    """

    def __init__(self, origin: str, verify: ssl.SSLContext | bool = True) -> None:
        self.origin = origin
        self._http = httpx.Client(verify=verify, timeout=10)
        reading = self._call("GET", None)
        self._base = float(reading["now"]) - time.monotonic()

    def _call(self, method: str, body: dict[str, float] | None) -> dict[str, float]:
        try:
            r = self._http.request(method, f"{self.origin}/__emulator__/clock", json=body)
            r.raise_for_status()
            data: dict[str, float] = r.json()
            return data
        except (httpx.HTTPError, ValueError) as exc:
            raise TargetUnreachable(
                f"the emulator clock at {self.origin}/__emulator__/clock did not answer ({exc}); "
                "set [allow] clock_control = false for targets without it"
            ) from exc

    def now(self) -> float:
        return self._base + time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)

    def advance(self, seconds: float) -> float:
        reading = self._call("POST", {"advance_seconds": seconds})
        self._base = float(reading["now"]) - time.monotonic()
        return self.now()

    def close(self) -> None:
        self._http.close()


def _clock_for(target: Target) -> Clock:
    if target.allow.clock_control and target.mode == "emulator":
        verify: ssl.SSLContext | bool = True
        if target.ca_bundle is not None:
            verify = ssl.create_default_context(cafile=str(target.ca_bundle))
        return EmulatorClock(target.origin, verify)
    return SystemClock()


def open_session(
    target: Target,
    *,
    store: SchemaStore | None = None,
    catalog: Catalog | None = None,
    transport: httpx.BaseTransport | None = None,
) -> TargetSession:
    """Everything the checks of one target share: client, clock, schemas, clause links."""
    routing = routing_for(target.vendor)
    clock = _clock_for(target)
    client = HarnessClient(target, clock=clock, transport=transport)
    return TargetSession(
        target=target,
        client=client,
        store=store or default_store(),
        routing=routing,
        controls_clock=isinstance(clock, EmulatorClock),
    )


def planned_checks(
    session: TargetSession, concerns: tuple[str, ...] | None = None
) -> list[tuple[CheckSpec, Operation | None]]:
    """(check, operation) pairs to run: checks linked to a clause of this vendor, in order."""
    registry = load_all()
    plan: list[tuple[CheckSpec, Operation | None]] = []
    for name in session.clauses:
        spec = registry.get(name)
        if spec is None or (concerns and spec.concern not in concerns):
            continue
        plan.extend((spec, op) for op in spec.operations(session.profile))
    plan.sort(key=lambda pair: (pair[0].order, pair[0].concern, pair[0].name))
    return plan


@dataclass
class CheckResult:
    vendor: str
    check: str
    concern: str
    operation: str
    clauses: tuple[str, ...]
    outcome: Outcome
    findings: list[Finding] = field(default_factory=list)
    reason: str = ""
    requests: int = 0
    seconds: float = 0.0
    exchanges: list[Exchange] = field(default_factory=list, repr=False)


def _missing_permission(session: TargetSession, spec: CheckSpec) -> str | None:
    target = session.target
    for need in sorted(spec.needs):
        if need == "clock_control" and not session.controls_clock:
            return (
                "needs the emulator's virtual clock ([allow] clock_control = true on an "
                "emulator target); on a live target it would take real time"
            )
        if need != "clock_control" and not getattr(target.allow, need):
            return f"needs [allow] {need} = true in the target file"
    return None


def run_check(session: TargetSession, spec: CheckSpec, operation: Operation | None) -> CheckResult:
    """Run one check and classify its outcome; never raises for vendor behaviour."""
    clauses = tuple(c.id for c in session.clauses.get(spec.name, ()))
    result = CheckResult(
        vendor=session.target.vendor,
        check=spec.name,
        concern=spec.concern,
        operation=operation.id if operation else "",
        clauses=clauses,
        outcome="passed",
    )
    sent_before = session.client.sent
    exchanges_before = len(session.client.exchanges)
    started = time.perf_counter()
    reason = spec.skip_reason(session.profile) or _missing_permission(session, spec)
    if reason:
        result.outcome, result.reason = "skipped", reason
        return result
    ctx = CheckContext(session=session, check=spec.name, operation=operation)
    try:
        spec.func(ctx)
    except CheckSkipped as exc:
        result.outcome, result.reason = "skipped", str(exc)
    except (BudgetExhausted, WriteNotAllowed) as exc:
        result.outcome, result.reason = "skipped", str(exc)
    except TargetUnreachable as exc:
        result.outcome, result.reason = "error", f"target unavailable: {exc}"
    except HarnessError as exc:
        result.outcome, result.reason = "error", str(exc)
    except Exception as exc:  # a bug in the harness, not the vendor's fault
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        result.outcome = "error"
        result.reason = (
            f"harness bug in check {spec.name}: {type(exc).__name__}: {exc} "
            f"({frame.filename}:{frame.lineno})"
        )
    if result.outcome == "passed" and ctx.findings:
        result.outcome = "failed"
    result.findings = ctx.findings if result.outcome != "error" else []
    result.requests = session.client.sent - sent_before
    result.exchanges = session.client.exchanges[exchanges_before:]
    result.seconds = time.perf_counter() - started
    return result
