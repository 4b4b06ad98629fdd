"""``harness run``: the suites through pytest against targets, then one verdict.

The runner resolves targets (target files, or the built-in emulators started here),
runs the suites with pytest (so Allure and JUnit plug in), collects every check
result from the plugin, applies waivers and a baseline, writes ``results.json`` and
returns a :class:`RunReport` whose ``exit_code`` is 0 conformant, 1 findings,
2 the harness could not run.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from harness import __version__
from harness._resources import suites_dir
from harness.engine import CheckResult
from harness.errors import HarnessError
from harness.findings import Finding
from harness.pytest_plugin import STATE, CaseResult, HarnessState
from harness.targets import Target, load_target
from harness.waivers import (
    Baseline,
    WaiverReport,
    apply_waivers,
    compare_baseline,
    load_waivers,
    read_results_findings,
)

__all__ = ["RunOptions", "RunReport", "run"]


@dataclass
class RunOptions:
    target_files: Sequence[Path] = ()
    vendors: Sequence[str] = ()
    suites: Sequence[str] = ()
    alluredir: Path | None = None
    junitxml: Path | None = None
    max_examples: int | None = None
    waivers: Path | None = None
    baseline: Path | None = None
    results_file: Path | None = None
    pytest_args: Sequence[str] = ()


@dataclass
class RunReport:
    results: list[CheckResult]
    targets: list[Target]
    cases: list[CaseResult] = field(default_factory=list)
    setup_errors: list[str] = field(default_factory=list)
    waivers: WaiverReport | None = None
    baseline: Baseline | None = None
    started: str = ""
    finished: str = ""

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def active_findings(self) -> list[Finding]:
        return self.waivers.active if self.waivers else self.findings

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome == "error"]

    @property
    def exit_code(self) -> int:
        if self.setup_errors or self.errors or not self.results:
            return 2
        if self.active_findings or (self.waivers and self.waivers.expired):
            return 1
        return 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "harness_version": __version__,
            "started": self.started,
            "finished": self.finished,
            "exit_code": self.exit_code,
            "targets": [
                {"vendor": t.vendor, "name": t.name, "base_url": t.base_url, "mode": t.mode}
                for t in self.targets
            ],
            "setup_errors": self.setup_errors,
            "strict": {t.vendor: t.strict for t in self.targets},
            "cases": [
                {
                    "vendor": c.vendor,
                    "clause": c.clause,
                    "operation": c.operation,
                    "concern": c.concern,
                    "checks": list(c.checks),
                    "outcome": c.outcome,
                    "reason": c.reason,
                    "findings": [f.as_dict() for f in c.findings],
                }
                for c in self.cases
            ],
            "results": [
                {
                    **{
                        f.name: getattr(r, f.name)
                        for f in fields(r)
                        if f.name not in ("exchanges", "findings")
                    },
                    "findings": [f.as_dict() for f in r.findings],
                }
                for r in self.results
            ],
            "waived": [
                {"finding": f.as_dict(), "reason": w.reason, "expires": w.expires.isoformat()}
                for f, w in (self.waivers.waived if self.waivers else [])
            ],
            "expired_waivers": [
                asdict(w) | {"expires": w.expires.isoformat()}
                for w in (self.waivers.expired if self.waivers else [])
            ],
            "unmatched_waivers": [
                asdict(w) | {"expires": w.expires.isoformat()}
                for w in (self.waivers.unmatched if self.waivers else [])
            ],
            "baseline": asdict(self.baseline) if self.baseline else None,
        }


class _Collector:
    """A pytest plugin object that keeps the harness state and collection errors."""

    def __init__(self) -> None:
        self.state: HarnessState | None = None
        self.errors: list[str] = []

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        self.state = config.stash[STATE]

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(f"collecting {report.nodeid}: {report.longreprtext.strip()[-500:]}")


def _pytest_args(options: RunOptions) -> list[str]:
    root = suites_dir()
    if options.suites:
        paths = []
        for name in options.suites:
            path = root / f"test_{name.replace('-', '_')}.py"
            if not path.is_file():
                known = sorted(p.stem.removeprefix("test_") for p in root.glob("test_*.py"))
                raise HarnessError(f"no suite called {name!r}; suites: {', '.join(known)}")
            paths.append(str(path))
    else:
        paths = [str(root)]
    args = [
        *paths,
        "-p",
        "no:cacheprovider",
        "-p",
        "no:terminal",
        "-c",
        str(root / "pytest.ini"),
        f"--rootdir={root}",
    ]
    for file in options.target_files:
        args += ["--target-file", str(file)]
    for vendor in options.vendors:
        args += ["--harness-vendor", vendor]
    if options.alluredir:
        args += ["--alluredir", str(options.alluredir)]
    if options.junitxml:
        args += ["--junitxml", str(options.junitxml)]
    if options.max_examples:
        args += ["-o", f"harness_max_examples={options.max_examples}"]
    return [*args, *options.pytest_args]


def run(options: RunOptions, today: date | None = None) -> RunReport:
    """Run the suites and return the report (never raises for vendor behaviour)."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    for file in options.target_files:
        load_target(file)  # a broken target file stops here, with its one-line error
    waivers = load_waivers(options.waivers) if options.waivers else None
    earlier = read_results_findings(options.baseline) if options.baseline else None
    collector = _Collector()
    code = pytest.main(_pytest_args(options), plugins=[collector])
    state = collector.state
    report = RunReport(
        results=list(state.results) if state else [],
        targets=list(state.targets) if state else [],
        cases=list(state.cases) if state else [],
        setup_errors=list(collector.errors),
        started=started,
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
        report.setup_errors.append(f"pytest could not run the suites (exit {int(code)})")
    if not report.results and not report.setup_errors:
        report.setup_errors.append("no check ran: no target, or no clause links a check")
    if waivers is not None:
        report.waivers = apply_waivers(report.findings, waivers, today or date.today())
    if earlier is not None:
        report.baseline = compare_baseline([f.as_dict() for f in report.findings], earlier)
    results_file = options.results_file or Path(tempfile.mkdtemp()) / "results.json"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(report.as_dict(), indent=2, default=str), encoding="utf-8")
    return report
