"""``harness plan`` (what a run would do to each target) and ``harness facts`` (what is
known about a vendor's real API, with its sources): thin commands over
:mod:`harness.planning` and :mod:`harness.facts`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the commands themselves: `harness --help` stays light
    from harness.planning import TargetEstimate
    from harness.targets import Target


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _pace(target: Target) -> str:
    rule = target.profile.rate_limit.rule_for("read")
    if rule is None:
        return "no documented rate limit"
    return (
        f"throttle {target.budget.throttle:g} of {rule.requests} requests per "
        f"{rule.window_seconds} s"
    )


def _inventory(target: Target) -> str:
    ops = target.profile.operations
    declared = sum(op.source == "target" for op in ops)
    main = next((op.id for op in ops if op.main), None)
    extra = f", {declared} from the target file" if declared else ""
    return f"{len(ops)} operations{extra}" + (f"; main {main}" if main else "")


def _table(found: TargetEstimate, verbose: bool) -> None:
    target = found.target
    print(f"{target.name} ({target.mode})  {target.base_url}")
    print(f"  inventory: {_inventory(target)}")
    rows = [c for c in found.checks if c.outcome != "skipped"]
    width = max([len(c.check) for c in rows] + [5])
    print(f"  {'check':<{width}}  {'operation':<24} {'requests':>8} {'writes':>6}")
    for c in rows:
        print(f"  {c.check:<{width}}  {c.operation or '-':<24} {c.requests:>8} {c.writes:>6}")
    skipped = [c for c in found.checks if c.outcome == "skipped"]
    if skipped:
        print(f"  not run ({len(skipped)}):" + ("" if verbose else " -v lists them"))
        for c in skipped if verbose else ():
            op = f" [{c.operation}]" if c.operation else ""
            print(f"    {c.check}{op}: {c.reason}")
    verdict = "OVER BUDGET" if found.over_budget else "within budget"
    print(
        f"  total: {found.requests} requests, {found.writes} writes; budget "
        f"{found.budget} ({verdict}); about {_duration(found.seconds)} at {_pace(target)}"
    )


def _as_dict(found: TargetEstimate) -> dict[str, Any]:
    target = found.target
    return {
        "target": target.name,
        "vendor": target.vendor,
        "mode": target.mode,
        "operations": [op.id for op in target.profile.operations],
        "requests": found.requests,
        "writes": found.writes,
        "budget": found.budget,
        "over_budget": found.over_budget,
        "throttle": target.budget.throttle,
        "estimated_seconds": round(found.seconds, 1),
        "checks": [
            {
                "check": c.check,
                "operation": c.operation,
                "requests": c.requests,
                "writes": c.writes,
                "runs": c.outcome != "skipped",
                "reason": c.reason,
            }
            for c in found.checks
        ],
    }


def cmd_plan(args: argparse.Namespace) -> int:
    from harness.errors import HarnessError
    from harness.planning import estimate_all
    from harness.runner import resolve_concerns
    from harness.targets import load_target

    files = [*args.target, *args.target_file]
    if not files:
        raise HarnessError(
            "no target file: give the target files to plan, e.g. `harness plan itrp-live.toml`"
        )
    targets = [load_target(Path(f)) for f in files]
    concerns = resolve_concerns(args.suite)
    found = estimate_all(targets, concerns=concerns, max_examples=args.max_examples)
    if args.format == "json":
        print(json.dumps([_as_dict(f) for f in found], indent=2))
    else:
        for index, estimate in enumerate(found):
            if index:
                print()
            _table(estimate, args.verbose)
    return 1 if any(f.over_budget for f in found) else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``harness plan`` and ``harness facts``."""
    _register_plan(sub)
    _register_facts(sub)


def _register_plan(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "plan",
        help="before touching a target: the checks, requests, writes, budget and time a run "
        "would take (measured on the built-in emulator)",
    )
    p.add_argument("target", nargs="*", metavar="TARGET", help="target files to plan")
    p.add_argument("--target-file", action="append", default=[], metavar="F")
    p.add_argument("--suite", action="append", default=[], metavar="NAME")
    p.add_argument("--max-examples", type=int, metavar="N", help="fuzz examples per operation")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-v", "--verbose", action="store_true", help="also list the checks not run")
    p.set_defaults(func=cmd_plan)


# ---------------------------------------------------------------- harness facts
def cmd_facts(args: argparse.Namespace) -> int:
    from harness.facts import load_facts
    from harness.profiles import load_profile

    profile = load_profile(args.vendor)
    facts = load_facts(args.vendor)
    used: dict[str, list[str]] = {}
    for op in profile.operations:
        for fact_id in op.facts:
            used.setdefault(fact_id, []).append(op.id)
    if args.format == "json":
        rows = [
            {
                "id": f.id,
                "about": f.about,
                "subject": f.subject,
                "value": f.value,
                "sources": [
                    {"kind": s.kind, "ref": s.ref, **({"via": s.via} if s.via else {})}
                    for s in f.sources
                ],
                "note": f.note,
                "operations": used.get(f.id, []),
            }
            for f in facts.values()
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for fact in facts.values():
        print(f"{fact.id}  [{fact.about}] {fact.subject}")
        value = fact.value if isinstance(fact.value, str) else json.dumps(fact.value)
        print(f"    {value}")
        for source in fact.sources:
            print(f"    source {source}")
        if fact.note:
            print(f"    note: {fact.note}")
        if fact.id in used:
            print(f"    operations: {', '.join(used[fact.id])}")
    bare = [op.id for op in profile.operations if not op.facts]
    if bare:
        print(f"\noperations resting on no fact ({len(bare)}): {', '.join(bare)}")
    return 0


def _register_facts(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "facts", help="what is known about a vendor's real API, each fact with its sources"
    )
    p.add_argument("vendor", help="a vendor name (harness vendors)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_facts)
