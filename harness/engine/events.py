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


class ExchangeView:
    """One exchange as reports may show it: every secret masked, bodies as text.

    Made for every exchange, shown for few (an Allure step shows at most 25 per check),
    so it is cheap to make: the URL and headers are redacted at once (the redactor
    learns the secrets they carry before any later exchange is shown), the bodies on
    first use. Redacting a body first redacts the bodies of every earlier exchange of
    the session (``previous``), so the redactor learns what bodies carry in the order
    the exchanges happened, as if each had been redacted when it was recorded. A
    consumer only ever reads redacted values.
    """

    __slots__ = (
        "_bodies",
        "_exchange",
        "_limit",
        "_previous",
        "_redactor",
        "elapsed",
        "method",
        "operation",
        "request_headers",
        "response_headers",
        "status",
        "url",
    )

    def __init__(
        self,
        exchange: Exchange,
        redactor: Redactor,
        limit: int = BODY_LIMIT,
        previous: ExchangeView | None = None,
    ) -> None:
        self._exchange = exchange
        self._redactor = redactor
        self._limit = limit
        self._previous = previous
        self._bodies: tuple[str, str] | None = None
        self.method = exchange.method
        self.url = redactor.url(exchange.url)
        self.request_headers = redactor.headers(exchange.request_headers)
        self.status = exchange.status
        self.response_headers = redactor.headers(exchange.headers.multi_items())
        self.elapsed = exchange.elapsed
        self.operation = exchange.operation

    @classmethod
    def of(
        cls,
        exchange: Exchange,
        redactor: Redactor,
        limit: int = BODY_LIMIT,
        previous: ExchangeView | None = None,
    ) -> ExchangeView:
        return cls(exchange, redactor, limit, previous)

    def _redacted_bodies(self) -> tuple[str, str]:
        if self._bodies is None:
            waiting: list[ExchangeView] = []
            view: ExchangeView | None = self
            while view is not None and view._bodies is None:
                waiting.append(view)
                view = view._previous
            for view in reversed(waiting):  # oldest first
                view._redact_own_bodies()
        assert self._bodies is not None
        return self._bodies

    def _redact_own_bodies(self) -> None:
        if self._bodies is None:
            x, redactor, limit = self._exchange, self._redactor, self._limit
            sent = redactor.body(x.request_body, limit) if x.request_body else ""
            got = redactor.body(x.content, limit) if x.content else ""
            self._bodies = (sent, got)
        self._previous = None  # done: the chain behind it can go

    @property
    def request_body(self) -> str:
        return self._redacted_bodies()[0]

    @property
    def response_body(self) -> str:
        return self._redacted_bodies()[1]

    def render(self) -> ExchangeView:
        """Redact the bodies now (what the redactor learns from them, it learns now)."""
        self._redacted_bodies()
        return self

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
    previous: ExchangeView | None = field(default=None, repr=False, compare=False)

    @cached_property
    def view(self) -> ExchangeView:
        """The exchange as reports may show it (made once, whoever asks first)."""
        return ExchangeView.of(self.exchange, self.redactor, previous=self.previous)


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
