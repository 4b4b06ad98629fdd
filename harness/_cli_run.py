"""``harness run`` and ``harness selftest``: thin commands over the runner and selftest."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from harness.runner import RunOptions, RunReport, run

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
    verdict = {0: "conformant", 1: "non-conformant (findings)", 2: "could not run"}
    print(
        f"\n{verdict[report.exit_code]}: {len(report.results)} checks, "
        f"{len(report.active_findings)} active findings -> exit {report.exit_code}"
    )


def cmd_run(args: argparse.Namespace) -> int:
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
    )
    if args.report:
        from harness._cli_report import run_and_report

        return run_and_report(options, summary=lambda r: _summary(r, args.verbose))
    report = run(options)
    _summary(report, args.verbose)
    print(f"results: {options.results_file}", file=sys.stderr)
    return report.exit_code


def cmd_selftest(args: argparse.Namespace) -> int:
    from harness.selftest import selftest

    outcome = selftest(
        tuple(args.vendor),
        progress=lambda line: print(line, flush=True),
        concerns=tuple(args.concern) or None,
    )
    print(outcome.summary())
    return 0 if outcome.perfect else 1


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
        help="only this concern's suite (auth, pagination, ...)",
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
        "--report",
        action="store_true",
        help="also build the Allure HTML report and compliance reports under reports/",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("selftest", help="prove the checks catch every emulator fault")
    p.add_argument("vendor", nargs="*")
    p.add_argument(
        "--concern",
        action="append",
        default=[],
        metavar="NAME",
        help="only checks of this concern, and the faults they should catch",
    )
    p.set_defaults(func=cmd_selftest)


def cmd_checks(args: argparse.Namespace) -> int:
    from harness.catalog import load_catalog
    from harness.checks import load_all

    registry = load_all()
    linked: dict[str, list[str]] = {}
    for clause in load_catalog():
        for name in clause.checks:
            linked.setdefault(name, []).append(clause.id)
    for name, spec in sorted(registry.items()):
        needs = ",".join(sorted(spec.needs)) or "-"
        health = "health" if spec.health else ""
        clauses = " ".join(linked.get(name, [])) or "(no clause)"
        print(f"{name:<40} {spec.concern:<11} {needs:<22} {health:<6} {clauses}")
    print(f"{len(registry)} checks", file=sys.stderr)
    return 0


def register_checks(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("checks", help="list the registered checks and the clauses they verify")
    p.set_defaults(func=cmd_checks)
