"""What one health-check cycle of one target amounts to: its record and its status.

Status rules, first match wins:

- ``unreachable``: a check ended in "target unavailable" (connect, TLS, DNS or timeout
  failure, :class:`~harness.errors.TargetUnreachable`), or the session could not open;
- ``failing``: a finding on a clause of severity ``blocker`` or ``critical``;
- ``degraded``: any other finding (normal, minor, trivial), or a harness error (a check
  that could not run for a reason other than an unavailable target);
- ``healthy``: none of these.

Latency thresholds (:mod:`harness.monitor.latency`) can only make a status worse: the p95
response time over the target's window above ``failed_ms`` makes a healthy or degraded
record failing, above ``degraded_ms`` a healthy one degraded.

Alerts group the four states in two: **ok** (healthy, degraded) and **down** (failing,
unreachable). Only a change of group is alerted: ok -> down ("failing") and down -> ok
("recovered"). Degraded shows in the history and metrics but never pages anyone.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Literal

from harness.errors import HarnessError

__all__ = [
    "SEVERE",
    "STATUSES",
    "CheckRecord",
    "FindingRecord",
    "Status",
    "VendorRecord",
    "alert_group",
    "classify",
    "parse_duration",
    "percentile",
]

Status = Literal["healthy", "degraded", "failing", "unreachable"]
STATUSES: tuple[Status, ...] = ("healthy", "degraded", "failing", "unreachable")
SEVERE = frozenset({"blocker", "critical"})
UNAVAILABLE = "target unavailable"


def alert_group(status: str) -> str:
    """``ok`` for healthy and degraded, ``down`` for failing and unreachable."""
    return "down" if status in ("failing", "unreachable") else "ok"


@dataclass(frozen=True)
class CheckRecord:
    """One health check's outcome in one cycle."""

    check: str
    operation: str
    outcome: str  # passed, failed, skipped, error
    clauses: tuple[str, ...]
    requests: int
    seconds: float
    reason: str = ""

    @property
    def unreachable(self) -> bool:
        return self.outcome == "error" and self.reason.startswith(UNAVAILABLE)


@dataclass(frozen=True)
class FindingRecord:
    """A finding, reduced to what the history keeps (already redacted)."""

    clause: str
    check: str
    severity: str
    operation: str
    title: str
    message: str


@dataclass(frozen=True)
class VendorRecord:
    """The result of one health-check cycle against one target."""

    vendor: str
    target: str
    mode: str
    status: Status
    started: float
    finished: float
    requests: int
    budget: int
    checks: tuple[CheckRecord, ...] = ()
    findings: tuple[FindingRecord, ...] = ()
    latencies: tuple[float, ...] = field(default=(), repr=False)  # seconds per exchange
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # latency thresholds crossed, re-checks made
    attempts: int = 1  # 1 + the re-checks made before this record
    window_p95_ms: float | None = None  # p95 over the target's latency window
    maintenance: str | None = None  # the reason of the maintenance window it fell in

    @property
    def p50_ms(self) -> float | None:
        return _ms(percentile(self.latencies, 50))

    @property
    def p95_ms(self) -> float | None:
        return _ms(percentile(self.latencies, 95))

    @property
    def harness_errors(self) -> tuple[CheckRecord, ...]:
        return tuple(c for c in self.checks if c.outcome == "error" and not c.unreachable)

    @property
    def conformance(self) -> float | None:
        """Share of the clauses verified this cycle that showed no finding (None: none ran)."""
        verified = {c for r in self.checks if r.outcome in ("passed", "failed") for c in r.clauses}
        if not verified:
            return None
        broken = {f.clause for f in self.findings} & verified
        return 1.0 - len(broken) / len(verified)

    def clauses_found(self) -> tuple[str, ...]:
        return tuple(sorted({f.clause for f in self.findings}))


def classify(
    checks: tuple[CheckRecord, ...], findings: tuple[FindingRecord, ...], errors: tuple[str, ...]
) -> Status:
    """The status of a cycle by the rules in this module's docstring."""
    if any(c.unreachable for c in checks) or any(e.startswith(UNAVAILABLE) for e in errors):
        return "unreachable"
    if any(f.severity in SEVERE for f in findings):
        return "failing"
    if findings or errors or any(c.outcome == "error" for c in checks):
        return "degraded"
    return "healthy"


def percentile(values: tuple[float, ...] | list[float], pct: float) -> float | None:
    """The ``pct`` percentile (inclusive method); None for no values."""
    data = sorted(values)
    if not data:
        return None
    if len(data) == 1:
        return data[0]
    cuts = statistics.quantiles(data, n=100, method="inclusive")
    return cuts[max(0, min(98, round(pct) - 1))]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000.0, 3)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}


def parse_duration(text: str, what: str = "duration") -> float:
    """Seconds from ``90``, ``1s``, ``1.5s``, ``5m``, ``2h``, ``7d`` or ``2w``."""
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        raise HarnessError(
            f"{what} {text!r}: expected a positive number with an optional unit "
            "(ms, s, m, h, d, w), e.g. 30s, 5m, 7d"
        )
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]
