"""``results.json``: the typed record of one run, written and read in this one place.

Every report that outlives a run (compliance, baselines, waivers) reads the record
through :func:`read_results`, never by string keys of its own. Everything in it is
already redacted (findings carry redacted evidence; base URLs are masked).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import HarnessError
from harness.findings import Finding

__all__ = [
    "CaseRecord",
    "CheckRecord",
    "RunRecord",
    "TargetRecord",
    "read_results",
    "write_results",
]


@dataclass(frozen=True)
class TargetRecord:
    vendor: str
    name: str
    base_url: str  # redacted
    mode: str
    strict: bool = False
    schemas_sha256: str = ""  # the schemas the run validated against (reporting.digests)
    catalog_sha256: str = ""  # the clause catalog and links it routed findings by
    har: str = ""  # the HAR file of the target's exchanges, when the run wrote one

    @property
    def is_emulator(self) -> bool:
        return self.mode == "emulator"

    @property
    def label(self) -> str:
        """``itrp staging (live)``; a name that already says its mode is kept as it is."""
        return self.name if f"({self.mode})" in self.name else f"{self.name} ({self.mode})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "name": self.name,
            "base_url": self.base_url,
            "mode": self.mode,
            "strict": self.strict,
            "schemas_sha256": self.schemas_sha256,
            "catalog_sha256": self.catalog_sha256,
            "har": self.har,
        }


@dataclass(frozen=True)
class CaseRecord:
    """The verdict on one (vendor, clause, operation)."""

    vendor: str
    clause: str
    operation: str
    concern: str
    checks: tuple[str, ...]
    outcome: str
    reason: str = ""
    findings: tuple[Finding, ...] = ()
    target: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "target": self.target,
            "clause": self.clause,
            "operation": self.operation,
            "concern": self.concern,
            "checks": list(self.checks),
            "outcome": self.outcome,
            "reason": self.reason,
            "findings": [f.as_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class CheckRecord:
    """What one check did on one target and operation."""

    vendor: str
    check: str
    concern: str
    operation: str
    clauses: tuple[str, ...]
    outcome: str
    reason: str = ""
    requests: int = 0
    seconds: float = 0.0
    findings: tuple[Finding, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "check": self.check,
            "concern": self.concern,
            "operation": self.operation,
            "clauses": list(self.clauses),
            "outcome": self.outcome,
            "reason": self.reason,
            "requests": self.requests,
            "seconds": self.seconds,
            "findings": [f.as_dict() for f in self.findings],
        }


@dataclass
class RunRecord:
    harness_version: str
    started: str
    finished: str
    exit_code: int
    targets: list[TargetRecord] = field(default_factory=list)
    setup_errors: list[str] = field(default_factory=list)
    cases: list[CaseRecord] = field(default_factory=list)
    results: list[CheckRecord] = field(default_factory=list)
    waived: list[dict[str, Any]] = field(default_factory=list)
    expired_waivers: list[dict[str, Any]] = field(default_factory=list)
    unmatched_waivers: list[dict[str, Any]] = field(default_factory=list)
    baseline: dict[str, Any] | None = None
    # Checked too little for a verdict (reporting.partial): budget ran out, too many skips.
    partial: bool = False
    partial_reasons: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def strict_for(self, vendor: str) -> bool:
        return any(t.strict for t in self.targets if t.vendor == vendor)

    def target_for(self, vendor: str) -> TargetRecord | None:
        return next((t for t in self.targets if t.vendor == vendor), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "harness_version": self.harness_version,
            "started": self.started,
            "finished": self.finished,
            "exit_code": self.exit_code,
            "targets": [t.as_dict() for t in self.targets],
            "setup_errors": list(self.setup_errors),
            "strict": {t.vendor: t.strict for t in self.targets},
            "cases": [c.as_dict() for c in self.cases],
            "results": [r.as_dict() for r in self.results],
            "waived": self.waived,
            "expired_waivers": self.expired_waivers,
            "unmatched_waivers": self.unmatched_waivers,
            "baseline": self.baseline,
            "partial": self.partial,
            "partial_reasons": list(self.partial_reasons),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunRecord:
        strict = data.get("strict", {}) or {}
        return cls(
            harness_version=str(data.get("harness_version", "")),
            started=str(data.get("started", "")),
            finished=str(data.get("finished", "")),
            exit_code=int(data.get("exit_code", 2)),
            targets=[
                TargetRecord(
                    vendor=str(t["vendor"]),
                    name=str(t.get("name", "")),
                    base_url=str(t.get("base_url", "")),
                    mode=str(t.get("mode", "")),
                    strict=bool(t.get("strict", strict.get(t["vendor"], False))),
                    schemas_sha256=str(t.get("schemas_sha256", "")),
                    catalog_sha256=str(t.get("catalog_sha256", "")),
                    har=str(t.get("har", "")),
                )
                for t in data.get("targets", [])
            ],
            setup_errors=[str(e) for e in data.get("setup_errors", [])],
            cases=[
                CaseRecord(
                    vendor=str(c["vendor"]),
                    clause=str(c["clause"]),
                    operation=str(c.get("operation", "")),
                    concern=str(c.get("concern", "")),
                    checks=tuple(c.get("checks", ())),
                    outcome=str(c["outcome"]),
                    reason=str(c.get("reason", "")),
                    findings=tuple(Finding.from_dict(f) for f in c.get("findings", ())),
                    target=str(c.get("target", "")),
                )
                for c in data.get("cases", [])
            ],
            results=[
                CheckRecord(
                    vendor=str(r["vendor"]),
                    check=str(r["check"]),
                    concern=str(r.get("concern", "")),
                    operation=str(r.get("operation", "")),
                    clauses=tuple(r.get("clauses", ())),
                    outcome=str(r["outcome"]),
                    reason=str(r.get("reason", "")),
                    requests=int(r.get("requests", 0)),
                    seconds=float(r.get("seconds", 0.0)),
                    findings=tuple(Finding.from_dict(f) for f in r.get("findings", ())),
                )
                for r in data.get("results", [])
            ],
            waived=list(data.get("waived", [])),
            expired_waivers=list(data.get("expired_waivers", [])),
            unmatched_waivers=list(data.get("unmatched_waivers", [])),
            baseline=data.get("baseline"),
            partial=bool(data.get("partial", False)),
            partial_reasons=[str(r) for r in data.get("partial_reasons", [])],
        )


def write_results(record: RunRecord, path: Path) -> Path:
    """Write ``results.json`` atomically (a reader never sees half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(record.as_dict(), indent=2, default=str), "utf-8")
        temporary.replace(path)
    except OSError as exc:
        raise HarnessError(
            f"cannot write the results to {path}: {exc.strerror or exc}; "
            "choose another --results path"
        ) from exc
    return path


def read_results(path: Path) -> RunRecord:
    """A run's record from its ``results.json``; a one-line error if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HarnessError(f"{path}: no such results file; run `harness run` first") from exc
    except (OSError, ValueError) as exc:
        raise HarnessError(f"{path}: not a readable results.json ({exc})") from exc
    try:
        if not isinstance(data, dict):
            raise TypeError("the top level is not an object")
        return RunRecord.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise HarnessError(
            f"{path}: not a results.json written by harness run ({type(exc).__name__}: {exc})"
        ) from exc
