"""Running one check on one session and classifying what happened.

- ``passed``: no finding;
- ``failed``: the vendor broke a clause (findings attached);
- ``skipped``: the check cannot run here, with the reason (not applicable, a
  permission the target does not grant, the request budget used up);
- ``error``: the harness could not run the check (target unreachable, bad config,
  a bug in the harness): never reported as a vendor finding.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Literal

from harness.checks import CheckContext, CheckSkipped, CheckSpec, TargetSession
from harness.client import BudgetExhausted, Exchange, WriteNotAllowed
from harness.errors import HarnessError, TargetUnreachable
from harness.findings import Finding
from harness.profiles import Operation

__all__ = ["CheckResult", "Outcome", "missing_permission", "run_check"]

Outcome = Literal["passed", "failed", "skipped", "error"]
UNAVAILABLE = "target unavailable"


@dataclass
class CheckResult:
    """What one check found on one target (and operation).

    ``exchanges`` are the requests the check sent; ``used`` those it did not send but
    judged, through a memoized value an earlier check computed (the same objects, not
    copies: reporters show them on this check's cases too). ``unrecorded`` counts the
    requests behind its judgement that no exchange records: sent outside the recorded
    client (a plain-HTTP probe, a TLS handshake) or by an unthrottled copy of it that
    forgets them (rate-limit exhaustion), by this check or by the memoized values it read.
    """

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
    used: list[Exchange] = field(default_factory=list, repr=False)
    unrecorded: int = 0
    budget_exhausted: bool = False

    @property
    def judged(self) -> list[Exchange]:
        """Every exchange the check judged: those it sent, then those it read from the
        memo that an earlier check sent (each recorded once, attributed to both)."""
        return [*self.exchanges, *self.used]


def missing_permission(session: TargetSession, spec: CheckSpec) -> str | None:
    """Why the target does not let this check run (None when it does)."""
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


def not_run(
    session: TargetSession, spec: CheckSpec, op: Operation | None, reason: str
) -> CheckResult:
    """A check skipped before it started (budget spent, target lost)."""
    return CheckResult(
        vendor=session.target.vendor,
        check=spec.name,
        concern=spec.concern,
        operation=op.id if op else "",
        clauses=tuple(c.id for c in session.routing.clauses_of(spec.name)),
        outcome="skipped",
        reason=reason,
    )


def run_check(session: TargetSession, spec: CheckSpec, operation: Operation | None) -> CheckResult:
    """Run one check and classify its outcome; never raises for vendor behaviour."""
    clauses = tuple(c.id for c in session.routing.clauses_of(spec.name))
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
    reason = spec.skip_reason(session.profile) or missing_permission(session, spec)
    if reason:
        result.outcome, result.reason = "skipped", reason
        return result
    ctx = CheckContext(session=session, check=spec.name, operation=operation)
    session.memo.begin_check()
    try:
        spec.func(ctx)
    except CheckSkipped as exc:
        result.outcome, result.reason = "skipped", str(exc)
    except BudgetExhausted as exc:
        result.outcome, result.reason = "skipped", str(exc)
        result.budget_exhausted = True
    except WriteNotAllowed as exc:
        result.outcome, result.reason = "skipped", str(exc)
    except TargetUnreachable as exc:
        result.outcome, result.reason = "error", f"{UNAVAILABLE}: {exc}"
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
    result.reason = session.client.redactor.text(result.reason)  # exceptions may quote secrets
    result.requests = session.client.sent - sent_before
    result.exchanges = session.client.exchanges[exchanges_before:]
    own = {id(x) for x in result.exchanges}
    used = session.memo.take_used()
    result.used = [x for x in used.exchanges if id(x) not in own]
    result.unrecorded = max(result.requests - len(result.exchanges), 0) + used.unrecorded
    result.seconds = time.perf_counter() - started
    return result
