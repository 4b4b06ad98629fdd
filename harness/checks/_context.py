"""What a check gets to work with, and how it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn

from harness.catalog import Clause
from harness.client import Exchange, HarnessClient
from harness.errors import HarnessError
from harness.findings import Evidence, Finding
from harness.profiles import Operation, Profile
from harness.targets import Target
from harness.validation import SchemaStore, Violation

__all__ = ["CheckContext", "CheckSkipped", "TargetSession"]


class CheckSkipped(Exception):
    """The check cannot run here; the reason is reported, never hidden."""


@dataclass
class TargetSession:
    """Per-target state shared by all checks of a run: one client, one cache."""

    target: Target
    client: HarnessClient
    store: SchemaStore
    clauses: dict[str, tuple[Clause, ...]]  # check name -> clauses of this vendor it verifies
    cache: dict[str, Any] = field(default_factory=dict)
    controls_clock: bool = False

    @property
    def profile(self) -> Profile:
        return self.target.profile


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
    def cache(self) -> dict[str, Any]:
        return self.session.cache

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return self.session.clauses.get(self.check, ())

    def skip(self, reason: str) -> NoReturn:
        raise CheckSkipped(reason)

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
                if (self.profile.folder / candidate).is_file():
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
        clause: str | None = None,
    ) -> None:
        """A finding against the clause(s) this check verifies for this vendor.

        With several linked clauses, ``clause`` names the one broken; by default the
        finding is recorded against every linked clause.
        """
        linked = [c for c in self.clauses if clause is None or c.id == clause]
        if not linked:
            raise HarnessError(
                f"check {self.check!r} found a problem but no clause of {self.profile.vendor} "
                f"links to it{f' as {clause!r}' if clause else ''}: add the link in "
                f"schemas/{self.profile.vendor}/links/"
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
