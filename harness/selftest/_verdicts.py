"""Judging proof runs: each fault detected on its clause and only there, the clean
emulators silent, and per vendor how many checked clauses a fault proves.

A fault is *detected* when a finding names its clause; *missed* when none does (and
*caught on the wrong clause* when findings name only others); it has *collateral* when
findings name other clauses that the clean emulator (in the same mode) does not trigger.
A fault that follows one reading of an ambiguous clause must also leave lenient mode,
which accepts every reading, without a finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from harness.emulators import Fault
from harness.selftest._proof import Issue, JobResult

__all__ = ["CleanVerdict", "FaultVerdict", "SelftestOutcome", "VendorCoverage", "judge_fault"]


@dataclass(frozen=True)
class CleanVerdict:
    vendor: str
    strict: bool
    findings: tuple[Issue, ...]
    errors: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.vendor} (strict)" if self.strict else self.vendor

    @property
    def ok(self) -> bool:
        return not self.findings and not self.errors


@dataclass(frozen=True)
class FaultVerdict:
    vendor: str
    fault: str
    clause: str
    detected: bool
    collateral: tuple[Issue, ...] = ()
    errors: tuple[str, ...] = ()
    kind: str = "blunt"
    subtle: bool = False
    strict: bool = False
    reading: str | None = None
    lenient: tuple[Issue, ...] = ()  # findings in lenient mode of a reading fault
    seconds: float = 0.0

    @property
    def other_clauses(self) -> tuple[str, ...]:
        return tuple(sorted({i.clause for i in self.collateral}))

    @property
    def ok(self) -> bool:
        return self.detected and not self.collateral and not self.errors and not self.lenient

    def problems(self) -> list[str]:
        """One line per way this proof failed (none when it holds)."""
        name = f"{self.fault} (breaks {self.clause}{', strict' if self.strict else ''})"
        lines = []
        if not self.detected and self.collateral:
            lines.append(f"wrong clause: {name} was caught only on {', '.join(self.other_clauses)}")
        elif not self.detected:
            lines.append(f"missed: {name}: no finding on {self.clause}")
        if self.collateral:
            lines.append(f"collateral: {name} also tripped {len(self.collateral)} finding(s):")
            lines += [f"    {issue.describe()}" for issue in self.collateral]
        if self.lenient:
            lines.append(
                f"lenient finding: {name} follows the documented reading {self.reading!r}, "
                "yet lenient mode (which accepts every reading) found:"
            )
            lines += [f"    {issue.describe()}" for issue in self.lenient]
        lines += [f"error under {self.fault}: {error}" for error in self.errors]
        return lines


def _new(result: JobResult, baseline: JobResult | None) -> tuple[Issue, ...]:
    seen = baseline.clauses if baseline else frozenset()
    return tuple(i for i in result.findings if i.clause not in seen)


def judge_fault(
    fault: Fault,
    vendor: str,
    result: JobResult,
    baseline: JobResult | None,
    lenient: JobResult | None = None,
    lenient_baseline: JobResult | None = None,
) -> FaultVerdict:
    """The verdict on one fault from its run, the clean run in the same mode and, for a
    fault that follows a reading, its lenient run and the lenient clean run."""
    return FaultVerdict(
        vendor=vendor,
        fault=fault.name,
        clause=fault.clause,
        detected=fault.clause in result.clauses,
        collateral=tuple(i for i in _new(result, baseline) if i.clause != fault.clause),
        errors=result.errors + (lenient.errors if lenient else ()),
        kind=fault.kind,
        subtle=fault.subtle,
        strict=fault.strict,
        reading=fault.reading,
        lenient=_new(lenient, lenient_baseline) if lenient else (),
        seconds=result.seconds + (lenient.seconds if lenient else 0.0),
    )


@dataclass(frozen=True)
class VendorCoverage:
    """How far one vendor's checked clauses are proven by faults."""

    vendor: str
    checked: tuple[str, ...]
    proven: frozenset[str]
    faults: tuple[FaultVerdict, ...]
    unfaultable: tuple[str, ...]
    uncovered: tuple[str, ...]
    all_faults: int  # in the catalog (more than ``faults`` when a change selected a few)

    @property
    def detected(self) -> int:
        return sum(1 for f in self.faults if f.detected)

    def line(self) -> str:
        total = len(self.faults)
        text = (
            f"{self.vendor}: proven {len(self.proven)}/{len(self.checked)} clauses, "
            f"detected {self.detected}/{total} faults"
        )
        notes = []
        subtle = sum(1 for f in self.faults if f.subtle)
        if subtle:
            notes.append(f"{subtle} subtle")
        strict = sum(1 for f in self.faults if f.strict)
        if strict:
            notes.append(f"{strict} strict")
        if self.unfaultable:
            notes.append(f"{len(self.unfaultable)} unfaultable with a reason")
        if self.uncovered:
            notes.append(f"{len(self.uncovered)} uncovered")
        if total < self.all_faults:
            notes.append(f"{total} of {self.all_faults} faults selected")
        return text + (f" ({', '.join(notes)})" if notes else "")


@dataclass
class SelftestOutcome:
    clean: list[CleanVerdict] = field(default_factory=list)
    faults: list[FaultVerdict] = field(default_factory=list)
    coverage: dict[str, VendorCoverage] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was selected, and why

    @property
    def clean_findings(self) -> dict[str, list[str]]:
        return {c.label: [i.describe() for i in c.findings] for c in self.clean}

    @property
    def clean_errors(self) -> dict[str, list[str]]:
        return {c.label: list(c.errors) for c in self.clean}

    @property
    def detected(self) -> int:
        return sum(1 for f in self.faults if f.detected)

    @property
    def perfect(self) -> bool:
        """Clean runs silent, every fault detected on its clause only, no harness error."""
        return all(c.ok for c in self.clean) and all(f.ok for f in self.faults)

    @property
    def uncovered(self) -> dict[str, tuple[str, ...]]:
        """Checked clauses with neither a fault nor a written reason, per vendor."""
        return {v: c.uncovered for v, c in self.coverage.items() if c.uncovered}

    def problems(self) -> list[str]:
        lines = []
        for clean in self.clean:
            if clean.findings:
                lines.append(f"clean {clean.label} emulator has {len(clean.findings)} finding(s):")
                lines += [f"    {i.describe()}" for i in clean.findings]
            if clean.errors:
                lines.append(f"clean {clean.label} emulator: {len(clean.errors)} harness error(s):")
                lines += [f"    {e}" for e in clean.errors]
        for verdict in self.faults:
            lines += verdict.problems()
        return lines

    def summary(self) -> str:
        lines = [*self.notes, *self.problems()]
        lines += [c.line() for c in self.coverage.values()]
        if len(self.coverage) > 1:
            proven = sum(len(c.proven) for c in self.coverage.values())
            checked = sum(len(c.checked) for c in self.coverage.values())
            lines.append(
                f"all: proven {proven}/{checked} clauses, "
                f"detected {self.detected}/{len(self.faults)} faults"
            )
        return "\n".join(lines)


def coverage(
    vendor: str,
    checked: Iterable[str],
    verdicts: Iterable[FaultVerdict],
    unfaultable: Iterable[str],
    uncovered: Iterable[str],
    all_faults: int,
) -> VendorCoverage:
    mine = tuple(verdicts)
    return VendorCoverage(
        vendor=vendor,
        checked=tuple(checked),
        proven=frozenset(v.clause for v in mine if v.ok),
        faults=mine,
        unfaultable=tuple(unfaultable),
        uncovered=tuple(uncovered),
        all_faults=all_faults,
    )
