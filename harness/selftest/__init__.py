"""``harness selftest``: prove the checks catch what they claim to catch.

For each vendor the checks run against the clean emulator (expecting no finding and no
harness error, in lenient mode and, where a fault is proven strictly, in strict mode) and
against a fresh emulator per fault with that fault switched on (expecting a finding on
exactly the fault's clause and on no other). Per vendor the outcome counts the checked
clauses a fault proves and the faults detected; clauses no fault can be built for carry a
written reason in the catalog (``unfaultable``).

Modules: ``_plan`` (what to prove, validated against the catalog), ``_proof`` (one run
as data), ``_pool`` (runs side by side in worker processes), ``_verdicts`` (judging),
``_changed`` (``--changed``: the faults a change could affect), ``_run`` (the whole).
"""

from __future__ import annotations

from harness.selftest._changed import (
    ChangeIndex,
    Selection,
    build_index,
    changed_paths,
    repository_root,
    select,
)
from harness.selftest._plan import VendorPlan, check_vendors, load_plan, validate_faults
from harness.selftest._pool import available_workers, run_jobs
from harness.selftest._proof import Issue, Job, JobResult, prove, run_all_checks
from harness.selftest._run import selftest
from harness.selftest._verdicts import (
    CleanVerdict,
    FaultVerdict,
    SelftestOutcome,
    VendorCoverage,
    judge_fault,
)

__all__ = [
    "ChangeIndex",
    "CleanVerdict",
    "FaultVerdict",
    "Issue",
    "Job",
    "JobResult",
    "Selection",
    "SelftestOutcome",
    "VendorCoverage",
    "VendorPlan",
    "available_workers",
    "build_index",
    "changed_paths",
    "check_vendors",
    "judge_fault",
    "load_plan",
    "prove",
    "repository_root",
    "run_all_checks",
    "run_jobs",
    "select",
    "selftest",
    "validate_faults",
]
