"""``harness selftest`` and ``harness faults``: thin commands over :mod:`harness.selftest`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from harness.errors import HarnessError

if TYPE_CHECKING:
    from harness.selftest import VendorPlan


def cmd_selftest(args: argparse.Namespace) -> int:
    from harness.selftest import (
        available_workers,
        build_index,
        changed_paths,
        check_vendors,
        repository_root,
        select,
        selftest,
    )

    vendors = check_vendors(args.vendor)
    if args.jobs is not None and args.jobs < 1:
        raise HarnessError(
            f"--jobs {args.jobs}: expected a number of worker processes >= 1 "
            "(1 runs in this process; the default is one per core)"
        )
    if args.fault and args.changed is not None:
        raise HarnessError("--fault and --changed both pick the faults to prove; give one of them")
    selection = None
    if args.changed is not None:
        root = repository_root()
        base, paths = changed_paths(args.changed or None, root)
        selection = select(paths, build_index(vendors, root))
        print(f"--changed against {base}: {len(paths)} changed file(s)", flush=True)
        if not selection.faults and not selection.everything:
            print("nothing to prove: no change touches a check, an emulator or vendor data")
            return 0
    say = None if args.quiet else (lambda line: print(line, flush=True))
    outcome = selftest(
        vendors,
        progress=say,
        concerns=tuple(args.concern) or None,
        jobs=args.jobs or available_workers(),
        selection=selection,
        only=tuple(args.fault),
    )
    print(outcome.summary())
    code = 0 if outcome.perfect else 1
    if args.require_coverage and outcome.uncovered:
        for vendor, clauses in outcome.uncovered.items():
            print(f"uncovered: {vendor}: {', '.join(clauses)} (no fault, no written reason)")
        code = 1
    return code


def cmd_faults(args: argparse.Namespace) -> int:
    from harness.selftest import load_plan

    plans = load_plan(args.vendor)
    if args.uncovered:
        return _uncovered(plans)
    rows = [
        (f.name, f.clause, f.kind, f.mode, f.description)
        for plan in plans.values()
        for f in plan.faults
    ]
    widths = [max((len(r[i]) for r in rows), default=4) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]))
    subtle = sum(1 for p in plans.values() for f in p.faults if f.subtle)
    strict = sum(1 for p in plans.values() for f in p.faults if f.strict)
    print(f"{len(rows)} faults ({subtle} subtle, {strict} strict)", file=sys.stderr)
    return 0


def _uncovered(plans: dict[str, VendorPlan]) -> int:
    totals = [0, 0, 0, 0]
    for plan in plans.values():
        faulted = len(plan.faulted)
        print(
            f"{plan.vendor}: {len(plan.faults)} faults on {faulted}/{len(plan.checked)} checked "
            f"clauses; {len(plan.unfaultable)} unfaultable (written reason); "
            f"{len(plan.uncovered)} uncovered"
        )
        for clause in plan.uncovered:
            print(f"  uncovered    {clause.id:<28} checks: {', '.join(clause.checks)}")
        for clause_id, reason in plan.unfaultable.items():
            print(f"  unfaultable  {clause_id:<28} {reason}")
        for i, n in enumerate(
            (faulted, len(plan.checked), len(plan.unfaultable), len(plan.uncovered))
        ):
            totals[i] += n
    faulted, checked, unfaultable, uncovered = totals
    share = (faulted + unfaultable) / checked if checked else 1.0
    print(
        f"all: {faulted}/{checked} checked clauses faulted, {unfaultable} unfaultable, "
        f"{uncovered} uncovered ({share:.0%} covered by a fault or a reason)"
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "selftest",
        help="prove the checks catch every emulator fault on its clause, and only there",
    )
    p.add_argument("vendor", nargs="*", help="vendors to prove (default: every vendor)")
    p.add_argument(
        "--concern",
        action="append",
        default=[],
        metavar="NAME",
        help="only checks of this concern, and the faults they should catch",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes, each proving one fault at a time (default: one per core)",
    )
    p.add_argument(
        "--changed",
        nargs="?",
        const="",
        metavar="BASE",
        help="prove only the faults whose clauses or checks changed since BASE (git; default: "
        "the merge base with main, or HEAD~1 on main); give vendors before it",
    )
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="prove only this fault (repeatable), with its vendor's clean runs",
    )
    p.add_argument(
        "--require-coverage",
        action="store_true",
        help="also fail when a checked clause has neither a fault nor a written reason",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no line per proof run")
    p.set_defaults(func=cmd_selftest)

    p = sub.add_parser("faults", help="list the emulators' faults and the clause each breaks")
    p.add_argument("vendor", nargs="*")
    p.add_argument(
        "--uncovered",
        action="store_true",
        help="per vendor, the checked clauses without a fault: uncovered, or unfaultable "
        "with the catalog's written reason",
    )
    p.set_defaults(func=cmd_faults)
