"""``harness run`` and ``harness checks``: thin commands over the runner and the registry."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from harness.reporting.partial import DEFAULT_MAX_SKIPPED

if TYPE_CHECKING:  # the engine and runner are imported by ``harness run`` itself
    from harness.engine import Listener
    from harness.runner import RunReport

OUTCOMES = ("passed", "failed", "skipped", "error")


def _summary(report: RunReport, verbose: bool) -> None:
    counts: Counter[tuple[str, str, str]] = Counter(
        (r.vendor, r.concern, r.outcome) for r in report.results
    )
    rows = sorted({(v, c) for v, c, _ in counts})
    print(f"{'vendor':<12} {'concern':<12} " + " ".join(f"{o:>8}" for o in OUTCOMES))
    for vendor, concern in rows:
        cells = " ".join(f"{counts[(vendor, concern, o)]:>8}" for o in OUTCOMES)
        print(f"{vendor:<12} {concern:<12} {cells}")
    waived = {id(f) for f, _ in (report.waivers.waived if report.waivers else [])}
    if report.findings:
        print(f"\nfindings ({len(report.findings)}):")
        for f in report.findings:
            op = f" [{f.operation}]" if f.operation else ""
            tag = " (waived)" if id(f) in waived else ""
            print(f"  {f.vendor:<11} {f.clause:<26} {f.check}{op}{tag}: {f.title}: {f.message}")
    if report.errors or report.setup_errors:
        print(f"\nharness errors ({len(report.errors) + len(report.setup_errors)}):")
        for text in report.setup_errors:
            print(f"  {text}")
        for r in report.errors:
            print(f"  {r.vendor:<11} {r.check}: {r.reason}")
    skipped = [r for r in report.results if r.outcome == "skipped"]
    if skipped and verbose:
        print(f"\nskipped ({len(skipped)}):")
        for r in skipped:
            print(f"  {r.vendor:<11} {r.check}: {r.reason}")
    if report.waivers:
        for w in report.waivers.expired:
            print(f"\nexpired waiver: {w.vendor} {w.clause} (expired {w.expires}): {w.reason}")
        for w in report.waivers.unmatched:
            print(f"\nwaiver matches no finding: {w.vendor} {w.clause}: {w.reason}")
    if report.baseline:
        print(
            f"\nagainst the baseline: {len(report.baseline.new)} new, "
            f"{len(report.baseline.fixed)} fixed"
        )
        changes = (("new:  ", report.baseline.new), ("fixed:", report.baseline.fixed))
        for label, changed in changes:
            for item in changed:
                print(
                    f"  {label} {item['vendor']} {item['clause']} {item['check']}: {item['title']}"
                )
    _verdict(report)


def _verdict(report: RunReport) -> None:
    """The last line: what the run says, and how much it checked to say it."""
    code = report.exit_code
    verdict = {0: "conformant", 1: "non-conformant (findings)", 2: "could not run"}[code]
    if report.partial_reasons:
        print("\npartial: too little was checked for a full verdict")
        for reason in report.partial_reasons:
            print(f"  {reason}")
        could_run = not (report.errors or report.setup_errors)
        if code == 2 and could_run:
            verdict = "could not check enough (partial; --allow-partial accepts it)"
        elif code != 2:
            verdict += " (partial, allowed)"
    skipped = sum(r.outcome == "skipped" for r in report.results)
    print(
        f"\n{verdict}: {len(report.results)} checks, {skipped} skipped, "
        f"{len(report.active_findings)} active findings -> exit {code}"
    )


def cmd_run(args: argparse.Namespace) -> int:
    from harness.reporting.har import prepare_har_folder
    from harness.reporting.outputs import check_output_file
    from harness.runner import check_vendors

    check_vendors(args.vendor)  # before anything runs, builds or is written
    check_output_file(Path(args.results), "--results")
    from harness.reporting.progress import progress_listener

    progress = progress_listener(sys.stderr, quiet=args.quiet)
    har_dir = Path(args.results).parent / "har" if args.har else None
    if har_dir is not None:
        prepare_har_folder(har_dir)
    try:
        return _run(args, [progress] if progress else [], har_dir)
    finally:
        if progress is not None:
            progress.close()


def _run(args: argparse.Namespace, listeners: list[Listener], har_dir: Path | None) -> int:
    from harness.runner import RunOptions, run

    options = RunOptions(
        target_files=[Path(f) for f in args.target_file],
        vendors=args.vendor,
        suites=args.suite,
        alluredir=Path(args.alluredir) if args.alluredir else None,
        junitxml=Path(args.junitxml) if args.junitxml else None,
        max_examples=args.max_examples,
        waivers=Path(args.waivers) if args.waivers else None,
        baseline=Path(args.baseline) if args.baseline else None,
        results_file=Path(args.results),
        jobs=args.jobs,
        allow_partial=args.allow_partial,
        over_budget=args.over_budget,
        max_skipped=args.max_skipped / 100,
        listeners=listeners,
        har_dir=har_dir,
    )
    if args.report:
        from harness._cli_report import run_and_report

        return run_and_report(options, summary=lambda r: _summary(r, args.verbose))
    report = run(options)
    _summary(report, args.verbose)
    print(f"results: {options.results_file}", file=sys.stderr)
    return report.exit_code


def _percent(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"{value!r} is not a percentage from 0 to 100")
    return number


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number of targets: give 1 or more (1 runs them one after another)"
        )
    return int(value)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="run the conformance suites (default: all built-in emulators)")
    p.add_argument(
        "vendor",
        nargs="*",
        help="vendors to run: their built-in emulators, or only these of the target files",
    )
    p.add_argument("--target-file", action="append", default=[], metavar="F")
    p.add_argument(
        "--suite",
        action="append",
        default=[],
        metavar="NAME",
        help="run exactly the checks of this concern (a name in the concern column of "
        "`harness checks`: auth, fuzz, pagination, ...) and the cases they decide; "
        "repeat for several",
    )
    p.add_argument("--alluredir", metavar="DIR", help="write Allure results here")
    p.add_argument("--junitxml", metavar="FILE", help="write JUnit XML here")
    p.add_argument("--max-examples", type=int, metavar="N", help="fuzz examples per operation")
    p.add_argument("--waivers", metavar="FILE", help="TOML file of accepted findings")
    p.add_argument("--baseline", metavar="RESULTS", help="results.json of an earlier run")
    p.add_argument(
        "--results",
        default="reports/results.json",
        metavar="FILE",
        help="where to write the run's results (default: reports/results.json)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="also list skipped checks")
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="targets run at once, each under its own throttle and budget (default: all "
        "the target files, one per API origin; the built-in emulators one after another)",
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress display while running (the summary is still printed)",
    )
    p.add_argument(
        "--har",
        action="store_true",
        help="also write every exchange, redacted, as a HAR 1.2 file per target into a har/ "
        "folder beside the results (attached in Allure, linked from the compliance reports)",
    )
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="a partial run (budget ran out, or too many checks skipped) exits 0/1 by its "
        "findings instead of 2; it is still marked partial everywhere",
    )
    p.add_argument(
        "--max-skipped",
        type=_percent,
        default=DEFAULT_MAX_SKIPPED * 100,
        metavar="PERCENT",
        help="a vendor with more of its checks skipped makes the run partial "
        f"(default {DEFAULT_MAX_SKIPPED * 100:.0f}%%)",  # %% : argparse formats help
    )
    p.add_argument(
        "--report",
        action="store_true",
        help="also build the Allure HTML report and compliance reports under reports/",
    )
    p.add_argument(
        "--over-budget",
        action="store_true",
        help="start a live run even when its plan (`harness plan`) needs more requests than "
        "[budget] max_requests; it stops at the budget and is reported partial",
    )
    p.set_defaults(func=cmd_run)


def cmd_checks(args: argparse.Namespace) -> int:
    from harness.catalog import load_catalog
    from harness.checks import ALIASES, load_all

    registry = load_all()
    if args.aliases:
        width = max((len(old) for old in ALIASES), default=0)
        print(f"{'earlier id'.ljust(width)}  check")
        for old, name in sorted(ALIASES.items()):
            print(f"{old.ljust(width)}  {name}")
        print(f"{len(ALIASES)} earlier check ids, kept for one release", file=sys.stderr)
        return 0
    linked: dict[str, list[str]] = {}
    for clause in load_catalog():
        for name in clause.checks:
            linked.setdefault(name, []).append(clause.id)
    rows = [("check", "concern", "needs", "health", "clauses")]
    for name, spec in sorted(registry.items()):
        needs = ",".join(sorted(spec.needs)) or "-"
        health = "health" if spec.health else "-"
        rows.append((name, spec.concern, needs, health, " ".join(linked.get(name, [])) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
    print(f"{len(registry)} checks", file=sys.stderr)
    return 0


def register_checks(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("checks", help="list the registered checks and the clauses they verify")
    p.add_argument(
        "--aliases",
        action="store_true",
        help="list the check ids of an earlier release and the check each now names",
    )
    p.set_defaults(func=cmd_checks)
