"""The selftest: plan the proof jobs, run them (side by side if asked), judge them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from harness.emulators import Fault, make_tls
from harness.errors import HarnessError
from harness.selftest._changed import Selection
from harness.selftest._plan import VendorPlan, load_plan
from harness.selftest._pool import run_jobs
from harness.selftest._proof import Job, JobResult
from harness.selftest._verdicts import CleanVerdict, SelftestOutcome, coverage, judge_fault

__all__ = ["selftest"]

Say = Callable[[str], None]


def _jobs_of(
    plan: VendorPlan, faults: tuple[Fault, ...], concerns: tuple[str, ...] | None
) -> list[Job]:
    """The clean runs a vendor needs (lenient, and strict if a fault is proven strictly),
    then one run per fault, and a lenient one more for a fault that follows a reading."""
    vendor = plan.vendor
    jobs = [Job(vendor, concerns=concerns)]
    if any(f.strict for f in faults):
        jobs.append(Job(vendor, strict=True, concerns=concerns))
    for fault in faults:
        jobs.append(Job(vendor, (fault.name,), fault.strict, concerns))
        if fault.reading is not None:
            jobs.append(Job(vendor, (fault.name,), False, concerns))
    return jobs


def _progress(say: Say, total: int) -> Callable[[JobResult], None]:
    count = 0

    def done(result: JobResult) -> None:
        nonlocal count
        count += 1
        job = result.job
        where = f"[{count}/{total}] {job.label}"
        if not job.faults:
            say(
                f"{where}: {result.checks} checks, {len(result.findings)} findings, "
                f"{len(result.errors)} errors ({result.seconds:.1f} s)"
            )
            return
        clauses = ", ".join(sorted(result.clauses)) or "nothing"
        mark = "ERROR" if result.errors else "found"
        say(f"{where}: {mark} {clauses} ({result.seconds:.1f} s)")

    return done


def selftest(
    vendors: tuple[str, ...] = (),
    progress: Say | None = None,
    concerns: tuple[str, ...] | None = None,
    *,
    jobs: int = 1,
    selection: Selection | None = None,
    only: tuple[str, ...] = (),
) -> SelftestOutcome:
    """Prove each fault of the vendors (every vendor if none) against its own emulator:
    detected on its clause, nowhere else, and the clean emulators silent.

    ``concerns``: only the checks of these concerns, and the faults of the clauses they
    verify. ``selection`` (from ``--changed``): only these faults, and only the vendors it
    touches. ``only``: these faults by name (and their vendors' clean runs). ``jobs``:
    worker processes (1: in this process)."""
    say = progress or (lambda line: None)
    plans = load_plan(vendors, concerns)
    if only:
        selection = _named(plans, only)
    chosen: dict[str, tuple[Fault, ...]] = {}
    for vendor, plan in plans.items():
        if selection is not None and not selection.touches(vendor):
            continue
        wanted = selection.faults_of(vendor) if selection is not None else None
        chosen[vendor] = tuple(f for f in plan.faults if wanted is None or f.name in wanted)
    work = [job for v, faults in chosen.items() for job in _jobs_of(plans[v], faults, concerns)]
    outcome = SelftestOutcome()
    if selection is not None:
        outcome.notes += selection.explain()
        outcome.notes.append(
            f"selected: {sum(len(f) for f in chosen.values())} fault(s) of "
            f"{', '.join(chosen) or 'no vendor'}"
        )
    with tempfile.TemporaryDirectory(prefix="harness-selftest-") as tmp:
        folder = Path(tmp)
        tls = make_tls(folder / "tls")
        results = run_jobs(work, tls, folder / "targets", jobs, _progress(say, len(work)))
    for vendor, faults in chosen.items():
        _judge(outcome, plans[vendor], faults, results, concerns)
    return outcome


def _named(plans: dict[str, VendorPlan], names: tuple[str, ...]) -> Selection:
    selection = Selection()
    known = {f.name: v for v, plan in plans.items() for f in plan.faults}
    for name in names:
        if name not in known:
            raise HarnessError(
                f"--fault {name!r} is not a fault of {', '.join(plans)} (of the concerns "
                "asked for, if any); `harness faults` lists every fault by vendor"
            )
        selection.faults.setdefault(known[name], set()).add(name)
    return selection


def _judge(
    outcome: SelftestOutcome,
    plan: VendorPlan,
    faults: tuple[Fault, ...],
    results: dict[Job, JobResult],
    concerns: tuple[str, ...] | None,
) -> None:
    vendor = plan.vendor
    clean = {
        strict: results.get(Job(vendor, strict=strict, concerns=concerns))
        for strict in (False, True)
    }
    for strict, result in clean.items():
        if result is not None:
            outcome.clean.append(CleanVerdict(vendor, strict, result.findings, result.errors))
    verdicts = []
    for fault in faults:
        run = results[Job(vendor, (fault.name,), fault.strict, concerns)]
        lenient = results[Job(vendor, (fault.name,), False, concerns)] if fault.reading else None
        verdict = judge_fault(fault, vendor, run, clean[fault.strict], lenient, clean[False])
        verdicts.append(verdict)
    outcome.faults += verdicts
    outcome.coverage[vendor] = coverage(
        vendor,
        plan.checked,
        verdicts,
        plan.unfaultable,
        (c.id for c in plan.uncovered),
        len(plan.faults),
    )
