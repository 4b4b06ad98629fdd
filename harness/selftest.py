"""``harness selftest``: prove the checks catch what they claim to catch.

For each vendor, the checks run against the clean emulator (expecting no finding)
and against the emulator with each catalog fault switched on (expecting a finding on
exactly that fault's clause). A fault is *detected* when a finding names its clause,
*missed* when none does, and *misattributed* when findings name other clauses that
the clean emulator does not trigger.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import load_all
from harness.emulators import make_tls, start_emulator, vendor_module
from harness.emulators._server import TLSFiles
from harness.engine import CheckResult, Engine
from harness.targets import load_target

__all__ = ["FaultVerdict", "SelftestOutcome", "run_all_checks", "selftest"]


def run_all_checks(
    vendor: str,
    faults: tuple[str, ...],
    tls: TLSFiles,
    folder: Path,
    concerns: tuple[str, ...] | None = None,
) -> list[CheckResult]:
    """Every planned check of a vendor (of ``concerns``, if given) against its emulator
    with ``faults`` active."""
    emu = start_emulator(vendor, faults=faults, tls=tls)
    try:
        name = "-".join(faults) or "clean"
        target = load_target(emu.write_target(folder / f"{vendor}-{name}.toml"), environ={})
        registry = load_all()
        only = [n for n, s in registry.items() if s.concern in concerns] if concerns else None
        with Engine([target], only=only) as engine:
            engine.run()
            return engine.results
    finally:
        emu.stop()


@dataclass
class FaultVerdict:
    vendor: str
    fault: str
    clause: str
    detected: bool
    other_clauses: tuple[str, ...]
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.detected and not self.other_clauses and not self.errors


@dataclass
class SelftestOutcome:
    clean_findings: dict[str, list[str]] = field(default_factory=dict)
    clean_errors: dict[str, list[str]] = field(default_factory=dict)
    faults: list[FaultVerdict] = field(default_factory=list)

    @property
    def detected(self) -> int:
        return sum(1 for f in self.faults if f.detected)

    @property
    def perfect(self) -> bool:
        clean = not any(self.clean_findings.values()) and not any(self.clean_errors.values())
        return clean and all(f.ok for f in self.faults)

    def summary(self) -> str:
        lines = []
        for vendor, found in self.clean_findings.items():
            if found:
                lines.append(f"clean {vendor} emulator has {len(found)} finding(s):")
                lines += [f"  {line}" for line in found]
        for vendor, errors in self.clean_errors.items():
            if errors:
                lines.append(f"clean {vendor} emulator: {len(errors)} harness error(s):")
                lines += [f"  {line}" for line in errors]
        for f in self.faults:
            if not f.detected:
                lines.append(f"undetected: {f.fault} (breaks {f.clause})")
            if f.other_clauses:
                lines.append(
                    f"wrong clause: {f.fault} (breaks {f.clause}) also blamed "
                    + ", ".join(f.other_clauses)
                )
            for error in f.errors:
                lines.append(f"error under {f.fault}: {error}")
        total = len(self.faults)
        score = self.detected / total if total else 1.0
        lines.append(f"detected {self.detected}/{total} (mutation score {score:.0%})")
        return "\n".join(lines)


def _clauses(results: list[CheckResult]) -> set[str]:
    return {f.clause for r in results for f in r.findings}


def _covered(vendor: str, concerns: tuple[str, ...] | None) -> set[str] | None:
    """Clauses verified by checks of ``concerns`` (None: every clause)."""
    if not concerns:
        return None
    registry = load_all()
    return {
        c.id
        for c in load_clauses(vendor)
        if any(n in registry and registry[n].concern in concerns for n in c.checks)
    }


def selftest(
    vendors: tuple[str, ...] = (),
    progress: Callable[[str], None] | None = None,
    concerns: tuple[str, ...] | None = None,
) -> SelftestOutcome:
    """Clean and faulted runs of each vendor; with ``concerns``, only those checks and the
    faults whose clause they verify."""
    say = progress or (lambda line: None)
    folder = Path(tempfile.mkdtemp(prefix="harness-selftest-"))
    tls = make_tls(folder / "tls")
    outcome = SelftestOutcome()
    for vendor in vendors or vendor_names():
        covered = _covered(vendor, concerns)
        clean = run_all_checks(vendor, (), tls, folder, concerns)
        baseline = _clauses(clean)
        outcome.clean_findings[vendor] = [f.one_line() for r in clean for f in r.findings]
        outcome.clean_errors[vendor] = [
            f"{r.check}: {r.reason}" for r in clean if r.outcome == "error"
        ]
        say(
            f"{vendor}: clean emulator, {len(clean)} checks, "
            f"{len(outcome.clean_findings[vendor])} findings"
        )
        for fault in vendor_module(vendor).FAULTS:
            if covered is not None and fault.clause not in covered:
                continue
            results = run_all_checks(vendor, (fault.name,), tls, folder, concerns)
            found = _clauses(results)
            verdict = FaultVerdict(
                vendor=vendor,
                fault=fault.name,
                clause=fault.clause,
                detected=fault.clause in found,
                other_clauses=tuple(sorted(found - baseline - {fault.clause})),
                errors=tuple(f"{r.check}: {r.reason}" for r in results if r.outcome == "error"),
            )
            outcome.faults.append(verdict)
            mark = "detected" if verdict.detected else "MISSED"
            say(f"  {fault.name:<40} {fault.clause:<28} {mark}")
    return outcome
