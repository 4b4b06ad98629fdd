"""The typed events of a run: what the engine tells reporters, the pytest plugin, the
monitor and selftest (library code never prints; consumers decide what to show).

One run emits, in order::

    RunStarted
      TargetStarted | TargetFailed          (per target: its session opened, or why not)
        CheckStarted
          ExchangeRecorded ...              (each request the check sent)
        CheckFinished                       (the check's outcome and findings)
        CaseFinished ...                    (each (clause, operation) whose checks are all done)
      TargetFinished
    RunFinished

Exchanges are redacted once, here (:meth:`ExchangeRecorded.view`): a consumer never sees
a raw credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from harness.catalog import Clause
from harness.client import Exchange
from harness.findings import Finding
from harness.redaction import Redactor
from harness.targets import Target

if TYPE_CHECKING:
    from harness.engine.outcome import CheckResult

__all__ = [
    "CaseFinished",
    "CaseVerdict",
    "CheckFinished",
    "CheckStarted",
    "Event",
    "ExchangeRecorded",
    "ExchangeView",
    "RunFinished",
    "RunStarted",
    "TargetFailed",
    "TargetFinished",
    "TargetStarted",
]

BODY_LIMIT = 64 * 1024


@dataclass(frozen=True)
class ExchangeView:
    """One exchange as reports may show it: every secret masked, bodies as text."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: str
    status: int
    response_headers: tuple[tuple[str, str], ...]
    response_body: str
    elapsed: float
    operation: str

    @classmethod
    def of(cls, exchange: Exchange, redactor: Redactor, limit: int = BODY_LIMIT) -> ExchangeView:
        sent = exchange.request_body
        return cls(
            method=exchange.method,
            url=redactor.url(exchange.url),
            request_headers=redactor.headers(exchange.request_headers),
            request_body=redactor.body(sent, limit) if sent else "",
            status=exchange.status,
            response_headers=redactor.headers(exchange.headers.multi_items()),
            response_body=redactor.body(exchange.content, limit) if exchange.content else "",
            elapsed=exchange.elapsed,
            operation=exchange.operation,
        )

    @property
    def title(self) -> str:
        return f"{self.method} {self.url} -> {self.status}"

    def text(self) -> str:
        """Request and response as one plain-text block."""
        lines = [f"{self.method} {self.url}", *(f"{k}: {v}" for k, v in self.request_headers)]
        lines += ["", self.request_body, "", f"HTTP {self.status}"]
        lines += [f"{k}: {v}" for k, v in self.response_headers]
        lines += ["", self.response_body]
        return "\n".join(lines)


@dataclass(frozen=True)
class CaseVerdict:
    """The verdict on one (clause, operation) of a target."""

    target: Target
    clause: Clause
    operation: str
    checks: tuple[str, ...]
    outcome: str  # passed | failed | skipped | error
    findings: tuple[Finding, ...] = ()
    reason: str = ""
    exchanges: tuple[ExchangeView, ...] = field(default=(), repr=False)

    @property
    def vendor(self) -> str:
        return self.target.vendor

    @property
    def concern(self) -> str:
        return self.clause.concern


@dataclass(frozen=True)
class RunStarted:
    targets: tuple[Target, ...]
    started: float


@dataclass(frozen=True)
class TargetStarted:
    target: Target
    checks: int
    cases: int


@dataclass(frozen=True)
class TargetFailed:
    """The target's session could not be opened: nothing was checked on it."""

    target: Target
    message: str


@dataclass(frozen=True)
class CheckStarted:
    target: Target
    check: str
    operation: str


@dataclass(frozen=True)
class ExchangeRecorded:
    target: Target
    check: str
    operation: str
    exchange: Exchange = field(repr=False)
    redactor: Redactor = field(repr=False)

    @cached_property
    def view(self) -> ExchangeView:
        return ExchangeView.of(self.exchange, self.redactor)


@dataclass(frozen=True)
class CheckFinished:
    target: Target
    result: CheckResult


@dataclass(frozen=True)
class CaseFinished:
    verdict: CaseVerdict


@dataclass(frozen=True)
class TargetFinished:
    target: Target
    requests: int
    seconds: float


@dataclass(frozen=True)
class RunFinished:
    started: float
    finished: float
    results: tuple[CheckResult, ...]
    cases: tuple[CaseVerdict, ...]
    setup_errors: tuple[str, ...]


Event = (
    RunStarted
    | TargetStarted
    | TargetFailed
    | CheckStarted
    | ExchangeRecorded
    | CheckFinished
    | CaseFinished
    | TargetFinished
    | RunFinished
)
