"""One proof run: a fresh emulator of one vendor (with some faults on), every planned check
against it through the engine, and what was found, as plain data that crosses processes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from tempfile import mkstemp

from harness.checks import load_all
from harness.emulators import start_emulator
from harness.emulators._server import TLSFiles
from harness.engine import CheckResult, Engine
from harness.errors import HarnessError
from harness.targets import load_target, write_target

__all__ = ["Issue", "Job", "JobResult", "prove", "run_all_checks"]


@dataclass(frozen=True)
class Job:
    """Which emulator to prove against: a vendor, the faults switched on (none: clean), the
    target's mode, and the concerns whose checks run (None: every check)."""

    vendor: str
    faults: tuple[str, ...] = ()
    strict: bool = False
    concerns: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        mode = " (strict)" if self.strict else ""
        return f"{self.vendor} {'+'.join(self.faults) or 'clean'}{mode}"


@dataclass(frozen=True)
class Issue:
    """One finding of a proof run: its clause, the check and operation that found it."""

    clause: str
    check: str
    operation: str
    text: str

    def describe(self) -> str:
        op = f" [{self.operation}]" if self.operation else ""
        return f"{self.clause} by {self.check}{op}: {self.text}"


@dataclass(frozen=True)
class JobResult:
    job: Job
    findings: tuple[Issue, ...]
    errors: tuple[str, ...]
    checks: int = 0
    requests: int = 0
    seconds: float = 0.0

    @property
    def clauses(self) -> frozenset[str]:
        return frozenset(i.clause for i in self.findings)


def _checks_of(concerns: tuple[str, ...] | None) -> list[str] | None:
    if not concerns:
        return None
    return [name for name, spec in load_all().items() if spec.concern in concerns]


def _engine_run(
    vendor: str,
    faults: tuple[str, ...],
    tls: TLSFiles,
    folder: Path,
    concerns: tuple[str, ...] | None,
    strict: bool,
) -> tuple[list[CheckResult], list[str]]:
    # A strict-mode proof needs an emulator that follows every strict reading: one whose
    # clean behaviour takes another documented reading switches on options["strict"].
    emu = start_emulator(
        vendor, faults=faults, tls=tls, options={"strict": True} if strict else None
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = mkstemp(dir=folder, prefix=f"{vendor}-", suffix=".toml")
        os.close(handle)
        write_target(Path(name), {**emu.target_data(), "strict": strict})
        target = load_target(name, environ={})
        with Engine([target], only=_checks_of(concerns)) as engine:
            engine.run()
            return engine.results, engine.setup_errors
    finally:
        emu.stop()


def run_all_checks(
    vendor: str,
    faults: tuple[str, ...],
    tls: TLSFiles,
    folder: Path,
    concerns: tuple[str, ...] | None = None,
    strict: bool = False,
) -> list[CheckResult]:
    """Every planned check of a vendor (of ``concerns``, if given) against its emulator
    with ``faults`` active."""
    return _engine_run(vendor, faults, tls, folder, concerns, strict)[0]


def prove(job: Job, tls: TLSFiles, folder: Path) -> JobResult:
    """Run one job; a harness error (the emulator would not start, a check crashed) is
    reported in the result, never raised, so one bad fault does not stop the others."""
    started = time.perf_counter()
    try:
        results, setup = _engine_run(job.vendor, job.faults, tls, folder, job.concerns, job.strict)
    except HarnessError as exc:
        return JobResult(job, (), (str(exc),), seconds=time.perf_counter() - started)
    findings = tuple(
        Issue(f.clause, r.check, r.operation, f"{f.title}: {f.message}")
        for r in results
        for f in r.findings
    )
    errors = (
        *setup,
        *(
            f"{r.check}{f' [{r.operation}]' if r.operation else ''}: {r.reason}"
            for r in results
            if r.outcome == "error"
        ),
    )
    return JobResult(
        job,
        findings,
        tuple(errors),
        checks=len(results),
        requests=sum(r.requests for r in results),
        seconds=time.perf_counter() - started,
    )
