"""``harness report`` and ``harness run --report``: the Allure HTML report.

``harness report [--results DIR] [--out DIR] [--history FILE] [--tools-dir DIR]`` builds the
single-file report of earlier Allure results; ``harness report --compliance [--sign KEY]``
writes (and signs) the compliance reports of a run; ``harness verify-report DIR --key PUB``
checks a signed report folder. :func:`run_and_report` is what
``harness run --report`` calls: clean the results folder, run, print the summary, build.
The tools folder (where npm installs Allure once) is ``--tools-dir``, else the environment
variable ``HARNESS_TOOLS_DIR``, else ``.tools/allure``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import HarnessError

if TYPE_CHECKING:  # the report machinery is imported by the commands that use it
    from harness.runner import RunOptions, RunReport

__all__ = ["clean_results", "register", "register_verify", "run_and_report", "tools_dir"]

DEFAULT_RESULTS = Path("reports/allure-results")
DEFAULT_OUT = Path("reports/allure-report")
DEFAULT_HISTORY = Path("reports/allure-history.jsonl")
DEFAULT_TOOLS = Path(".tools/allure")
DEFAULT_RUN_RESULTS = Path("reports/results.json")
DEFAULT_COMPLIANCE = Path("reports/compliance")
TOOLS_ENV = "HARNESS_TOOLS_DIR"

# What the Allure writer (and Allure tools) put into a results folder.
_RESULT_SUFFIXES = ("-result.json", "-container.json")
_RESULT_FILES = {"environment.properties", "environment.xml", "executor.json", "categories.json"}


def tools_dir(value: str | Path | None = None) -> Path:
    """The Allure tools folder: the argument, else $HARNESS_TOOLS_DIR, else .tools/allure."""
    if value:
        return Path(value)
    from_env = os.environ.get(TOOLS_ENV, "").strip()
    return Path(from_env) if from_env else DEFAULT_TOOLS


def _is_result_file(path: Path) -> bool:
    name = path.name
    return (
        name in _RESULT_FILES
        or name.endswith(_RESULT_SUFFIXES)
        or "-attachment" in name
        or name.endswith(".tmp")
    )


def clean_results(results: Path) -> None:
    """Empty an Allure results folder before a run; refuse if it holds anything else."""
    if not results.exists():
        return
    if not results.is_dir():
        raise HarnessError(f"{results} is not a folder; choose another Allure results folder")
    entries = list(results.iterdir())
    strangers = [p.name for p in entries if not p.is_file() or not _is_result_file(p)]
    if strangers:
        raise HarnessError(
            f"refusing to clean {results}: it holds files that are not Allure results "
            f"({', '.join(sorted(strangers)[:5])}); empty it or choose another folder"
        )
    for path in entries:
        path.unlink()


def run_and_report(
    options: RunOptions,
    *,
    summary: Callable[[RunReport], None] | None = None,
    results: Path = DEFAULT_RESULTS,
    out: Path = DEFAULT_OUT,
    history: Path = DEFAULT_HISTORY,
    tools: Path | None = None,
) -> int:
    """``harness run --report``: clean the results, run, report; the exit code.

    Allure results go to ``options.alluredir`` if set, else ``results`` (emptied first; the
    history file is kept). ``summary`` prints the run's summary (``_cli_run._summary``).
    The exit code is the run's (0/1/2), or 2 if the HTML could not be built.
    """
    from harness.reporting.allure_html import build_report, ensure_allure
    from harness.reporting.report_folder import write_compliance
    from harness.runner import run

    folder = tools or tools_dir()
    ensure_allure(folder)  # fail before a long run if Node/npm are missing
    alluredir = options.alluredir or results
    if history.resolve().parent == alluredir.resolve():
        raise HarnessError(f"the history file {history} must not be inside {alluredir}")
    clean_results(alluredir)
    report = run(replace(options, alluredir=alluredir))
    if summary is not None:
        summary(report)
    if options.results_file:
        print(f"results: {options.results_file}", file=sys.stderr)
    try:
        html = build_report(alluredir, out, history, folder)
    except HarnessError as exc:
        print(f"harness: error: could not build the Allure report: {exc}", file=sys.stderr)
        return 2
    print(f"report: {html}", file=sys.stderr)
    if options.results_file and options.results_file.is_file():
        done = write_compliance(options.results_file, DEFAULT_COMPLIANCE)
        print(f"compliance: {done.index} ({len(done.files)} files)", file=sys.stderr)
    return report.exit_code


def cmd_report(args: argparse.Namespace) -> int:
    from harness.reporting.allure_html import build_report
    from harness.reporting.report_folder import write_compliance

    if args.sign and not args.compliance:
        raise HarnessError("--sign signs the compliance reports: add --compliance")
    if args.compliance:
        done = write_compliance(
            Path(args.run_results),
            Path(args.compliance_out),
            sign=Path(args.sign) if args.sign else None,
        )
        for path in done.files:
            print(path)
        if done.missing_documents:
            print(
                "note: vendor documents not found, so not shipped: "
                + ", ".join(done.missing_documents)
                + " (set HARNESS_DOCS_DIR)",
                file=sys.stderr,
            )
        print(f"index: {done.index}", file=sys.stderr)
        return 0
    html = build_report(
        Path(args.results), Path(args.out), Path(args.history), tools_dir(args.tools_dir)
    )
    print(html)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="build the Allure HTML report (one file, opens offline) from Allure results",
    )
    p.add_argument(
        "--results",
        default=str(DEFAULT_RESULTS),
        metavar="DIR",
        help=f"Allure results of a run (default: {DEFAULT_RESULTS})",
    )
    p.add_argument(
        "--out",
        default=str(DEFAULT_OUT),
        metavar="DIR",
        help=f"where the report goes; replaced (default: {DEFAULT_OUT})",
    )
    p.add_argument(
        "--history",
        default=str(DEFAULT_HISTORY),
        metavar="FILE",
        help=f"history kept between runs, for trends (default: {DEFAULT_HISTORY})",
    )
    p.add_argument(
        "--tools-dir",
        metavar="DIR",
        help=f"where npm installs Allure once (default: ${TOOLS_ENV}, else {DEFAULT_TOOLS})",
    )
    p.add_argument(
        "--compliance",
        action="store_true",
        help="instead: write the compliance reports (HTML, Markdown, JSON) per vendor",
    )
    p.add_argument(
        "--run-results",
        default=str(DEFAULT_RUN_RESULTS),
        metavar="FILE",
        help=f"with --compliance: the run's results.json (default: {DEFAULT_RUN_RESULTS})",
    )
    p.add_argument(
        "--compliance-out",
        default=str(DEFAULT_COMPLIANCE),
        metavar="DIR",
        help=f"with --compliance: where the reports go (default: {DEFAULT_COMPLIANCE})",
    )
    p.add_argument(
        "--sign",
        metavar="KEY",
        help="with --compliance: sign the reports with this Ed25519 private key (PEM); "
        "writes manifest.json and manifest.json.sig",
    )
    p.set_defaults(func=cmd_report)


def cmd_verify_report(args: argparse.Namespace) -> int:
    from harness.reporting.signing import verify_folder

    checked = verify_folder(Path(args.folder), Path(args.key))
    if checked.ok:
        run = checked.manifest.get("run", {})
        print(
            f"verified: {checked.files} files of {args.folder} unchanged, signed by "
            f"{checked.fingerprint} (harness {checked.manifest.get('harness_version', '?')}, "
            f"run {run.get('started', '?')})"
        )
        return 0
    for problem in checked.problems:
        print(f"{args.folder}: {problem}")
    print(f"NOT verified: {len(checked.problems)} problem(s)", file=sys.stderr)
    return 1


def register_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "verify-report",
        help="check a signed compliance report folder with the signer's public key",
    )
    p.add_argument("folder", metavar="DIR", help="the folder of a signed report")
    p.add_argument(
        "--key",
        required=True,
        metavar="PUB",
        help="the signer's Ed25519 public key (PEM, or OpenSSH ssh-ed25519)",
    )
    p.set_defaults(func=cmd_verify_report)
