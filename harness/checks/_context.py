"""What a check gets to work with, and how it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

from harness.catalog import Clause
from harness.checks._features import FeatureKey, feature_source, read_feature
from harness.checks._memo import Memo
from harness.checks._registry import get_check
from harness.checks._routing import Routing
from harness.client import Exchange, HarnessClient
from harness.errors import HarnessError
from harness.findings import Evidence, Finding
from harness.profiles import Operation, Profile
from harness.targets import Target
from harness.validation import SchemaStore, Violation

__all__ = ["CheckContext", "CheckSkipped", "SessionOptions", "TargetSession"]

T = TypeVar("T")


class CheckSkipped(Exception):
    """The check cannot run here; the reason is reported, never hidden."""


@dataclass(frozen=True)
class SessionOptions:
    """Run options the checks of a session may read."""

    max_examples: int | None = None  # fuzz examples per operation (None: the default)


@dataclass
class TargetSession:
    """Per-target state shared by all checks of a run: one client, one memo.

    Opened and closed by the engine only (:func:`harness.engine.open_session`); as a
    context manager it closes its client and clock.
    """

    target: Target
    client: HarnessClient
    store: SchemaStore
    routing: Routing
    memo: Memo = field(default_factory=Memo)
    controls_clock: bool = False
    options: SessionOptions = field(default_factory=SessionOptions)

    def __post_init__(self) -> None:
        # the memo learns which exchanges each memoized value was computed from
        self.memo.watch(self.client)

    @property
    def profile(self) -> Profile:
        return self.target.profile

    @property
    def clauses(self) -> dict[str, tuple[Clause, ...]]:
        """check name -> the clauses of this vendor it may report on."""
        return {name: self.routing.clauses_of(name) for name in self.routing.checks}

    def close(self) -> None:
        self.client.close()
        close = getattr(self.client.clock, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> TargetSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class CheckContext:
    """One check run against one target (and one operation, for per-operation checks)."""

    session: TargetSession
    check: str
    operation: Operation | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def target(self) -> Target:
        return self.session.target

    @property
    def profile(self) -> Profile:
        return self.session.target.profile

    @property
    def client(self) -> HarnessClient:
        return self.session.client

    @property
    def strict(self) -> bool:
        return self.session.target.strict

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """The clauses of this vendor the check may report on (for their ambiguities and
        sources; never for what they say)."""
        return self.session.routing.clauses_of(self.check)

    def skip(self, reason: str) -> NoReturn:
        raise CheckSkipped(reason)

    def feature(self, key: FeatureKey[T]) -> T:
        """A feature table the check ``requires`` (typed)."""
        return read_feature(self.profile, key)

    def optional_feature(self, key: FeatureKey[T]) -> T | None:
        """A feature table the check can do without."""
        return key.read(self.profile)

    def feature_source(self, key: FeatureKey[Any]) -> str:
        return feature_source(self.profile, key)

    def schema(self, file_name: str, reading: str | None = None) -> str:
        """The schema id for a file of this vendor.

        Lenient mode uses the file as named (it accepts every reading of an ambiguity).
        Strict mode uses ``<name>.<reading>.schema.json`` when it exists, for ``reading``
        or else for the strict reading of any ambiguous clause this check verifies.
        """
        if self.strict:
            stem = file_name.removesuffix(".schema.json")
            readings = [reading] if reading else []
            readings += [c.ambiguity.strict for c in self.clauses if c.ambiguity]
            for candidate in (f"{stem}.{r}.schema.json" for r in readings):
                if self.profile.has_schema(candidate):  # a file or a generated reading
                    file_name = candidate
                    break
        return self.profile.schema_id(file_name)

    def validate(
        self, file_name: str, instance: Any, reading: str | None = None
    ) -> list[Violation]:
        return self.session.store.validate(self.schema(file_name, reading), instance)

    def validate_headers(self, file_name: str, headers: Any) -> list[Violation]:
        return self.session.store.validate_headers(self.schema(file_name), dict(headers))

    def strict_reading(self, clause_id: str) -> str | None:
        """The reading strict mode picks for an ambiguous clause (None when lenient)."""
        for clause in self.clauses:
            if clause.id == clause_id and clause.ambiguity and self.strict:
                return clause.ambiguity.strict
        return None

    def evidence(self, exchange: Exchange | None, note: str = "") -> Evidence:
        if exchange is None:
            return Evidence(note=self.client.redactor.text(note))
        return exchange.evidence(self.client.redactor, note)

    def finding(
        self,
        title: str,
        message: str,
        *exchanges: Exchange,
        note: str = "",
        aspect: str | tuple[str, ...] = (),
    ) -> None:
        """A finding about ``aspect`` (one of the check's declared aspects; several, most
        specific first, where a finding is about more than one thing). The vendor's links
        route it to its clause(s); without an aspect it goes to the check's bare link.
        """
        aspects = (aspect,) if isinstance(aspect, str) else tuple(aspect)
        if aspects:
            declared = get_check(self.check).aspects(self.profile)
            undeclared = [a for a in aspects if a not in declared]
            if undeclared:
                raise HarnessError(
                    f"check {self.check!r} reported aspect(s) {undeclared} it does not declare "
                    f"for {self.profile.vendor}; declared: {list(declared)}"
                )
        linked = list(self.session.routing.route(self.check, aspects))
        if not linked:
            raise HarnessError(
                f"check {self.check!r} found a problem but no clause of {self.profile.vendor} "
                f"links to it: add the link in schemas/{self.profile.vendor}/links/"
            )
        redact = self.client.redactor.text
        evidence = tuple(self.evidence(x, note) for x in exchanges) or (self.evidence(None, note),)
        made = [
            Finding(
                vendor=self.profile.vendor,
                clause=c.id,
                check=self.check,
                title=redact(title),
                message=redact(message),
                severity=c.severity,
                operation=self.operation.id if self.operation else "",
                evidence=evidence,
            )
            for c in linked
        ]
        self.findings.extend(made)
