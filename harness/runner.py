"""``harness run``: targets through the engine, reporters on its events, then one verdict.

The runner resolves targets (target files, or the built-in emulators started here),
drives one :class:`~harness.engine.Engine` with the reporters the options ask for
(Allure results, JUnit XML, any extra listener such as a progress display), applies
waivers and a baseline, writes ``results.json`` and returns a :class:`RunReport` whose
``exit_code`` is 0 conformant, 1 findings, 2 the harness could not run.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from harness import __version__
from harness._resources import vendor_names
from harness.checks import ALIASES, CONCERNS, SessionOptions
from harness.engine import CaseVerdict, CheckResult, Engine, Listener
from harness.errors import HarnessError
from harness.findings import Finding
from harness.planning import estimate_all, over_budget
from harness.redaction import Redactor
from harness.reporting.allure_results import AllureWriter
from harness.reporting.digests import vendor_digests
from harness.reporting.har import HarWriter
from harness.reporting.junit import JUnitWriter
from harness.reporting.outputs import check_output_file, check_output_folder
from harness.reporting.partial import DEFAULT_MAX_SKIPPED, partial_reasons
from harness.reporting.results import (
    CaseRecord,
    CheckRecord,
    RunRecord,
    TargetRecord,
    write_results,
)
from harness.targets import Target, load_target
from harness.waivers import (
    Baseline,
    WaiverReport,
    apply_waivers,
    compare_baseline,
    load_waivers,
    read_results_findings,
)

__all__ = ["RunOptions", "RunReport", "emulated_targets", "resolve_concerns", "run"]


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
    listeners: Sequence[Listener] = ()
    har_dir: Path | None = None  # write every exchange as <target>.har here (HAR 1.2)
    # targets run at once (None: every target file, one thread per origin, and the built-in
    # emulators one after another; 1: one after another)
    jobs: int | None = None
    allow_partial: bool = False  # a partial run (reporting.partial) exits 0/1, not 2
    max_skipped: float = DEFAULT_MAX_SKIPPED  # more skipped checks of a vendor: partial
    over_budget: bool = False  # start a live run even when its plan exceeds the budget


@dataclass
class RunReport:
    results: list[CheckResult]
    targets: list[Target]
    cases: list[CaseVerdict] = field(default_factory=list)
    setup_errors: list[str] = field(default_factory=list)
    waivers: WaiverReport | None = None
    baseline: Baseline | None = None
    started: str = ""
    finished: str = ""
    har_files: dict[str, Path] = field(default_factory=dict)  # target name -> its HAR file
    partial_reasons: list[str] = field(default_factory=list)  # checked too little, and why
    allow_partial: bool = False

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
        if self.partial_reasons and not self.allow_partial:
            return 2
        if self.active_findings or (self.waivers and self.waivers.expired):
            return 1
        return 0

    def record(self) -> RunRecord:
        """The run as its results.json record (redacted)."""

        def waiver(w: Any) -> dict[str, Any]:
            return asdict(w) | {"expires": w.expires.isoformat()}

        waivers = self.waivers
        return RunRecord(
            harness_version=__version__,
            started=self.started,
            finished=self.finished,
            exit_code=self.exit_code,
            targets=[
                TargetRecord(
                    vendor=t.vendor,
                    name=t.name,
                    base_url=Redactor(t.secrets).url(t.base_url),
                    mode=t.mode,
                    strict=t.strict,
                    **_digests(t.vendor),
                    har=str(self.har_files[t.name]) if t.name in self.har_files else "",
                )
                for t in self.targets
            ],
            setup_errors=list(self.setup_errors),
            cases=[
                CaseRecord(
                    vendor=c.vendor,
                    clause=c.clause.id,
                    operation=c.operation,
                    concern=c.concern,
                    checks=c.checks,
                    outcome=c.outcome,
                    reason=c.reason,
                    findings=c.findings,
                    target=c.target.name,
                )
                for c in self.cases
            ],
            results=[
                CheckRecord(
                    vendor=r.vendor,
                    check=r.check,
                    concern=r.concern,
                    operation=r.operation,
                    clauses=r.clauses,
                    outcome=r.outcome,
                    reason=r.reason,
                    requests=r.requests,
                    seconds=r.seconds,
                    findings=tuple(r.findings),
                )
                for r in self.results
            ],
            waived=[
                {"finding": f.as_dict(), "reason": w.reason, "expires": w.expires.isoformat()}
                for f, w in (waivers.waived if waivers else [])
            ],
            expired_waivers=[waiver(w) for w in (waivers.expired if waivers else [])],
            unmatched_waivers=[waiver(w) for w in (waivers.unmatched if waivers else [])],
            baseline=asdict(self.baseline) if self.baseline else None,
            partial=bool(self.partial_reasons),
            partial_reasons=list(self.partial_reasons),
        )

    def as_dict(self) -> dict[str, Any]:
        return self.record().as_dict()


def resolve_concerns(suites: Sequence[str]) -> tuple[str, ...] | None:
    """``--suite`` names as concerns (``rate-limit`` and ``rate_limit`` mean ``ratelimit``)."""
    if not suites:
        return None
    found = []
    for name in suites:
        concern = name.replace("-", "").replace("_", "")
        if concern not in CONCERNS:
            raise HarnessError(f"--suite {name!r}: no such suite; suites: {', '.join(CONCERNS)}")
        found.append(concern)
    return tuple(found)


def check_vendors(vendors: Sequence[str]) -> None:
    """Refuse unknown vendor names before anything runs."""
    known = vendor_names()
    for vendor in vendors:
        if vendor not in known:
            raise HarnessError(
                f"unknown vendor {vendor!r}; known vendors: {', '.join(known)} "
                "(see `harness vendors`)"
            )


@contextmanager
def emulated_targets(vendors: Sequence[str], *, in_child: bool = False) -> Iterator[list[Target]]:
    """The built-in emulators of ``vendors`` (every vendor by default), started on
    loopback with one TLS authority, as targets; stopped on exit. ``in_child``: served
    from one child interpreter (``harness emulate``), so that the harness and the
    emulators do not share one interpreter and targets can run side by side."""
    from harness.emulators import make_tls, serve_in_child, start_emulator, stop_emulators

    check_vendors(vendors)
    folder = Path(tempfile.mkdtemp(prefix="harness-targets-"))  # removed on exit
    if in_child:
        try:
            with serve_in_child(list(vendors or vendor_names()), folder) as files:
                yield [load_target(path, environ={}) for path in files.values()]
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    tls = make_tls(folder / "tls")
    running = []
    try:
        targets = []
        for vendor in vendors or vendor_names():
            emu = start_emulator(vendor, tls=tls)
            running.append(emu)
            path = emu.write_target(folder / f"{vendor}.toml")
            targets.append(load_target(path, environ={}))
        yield targets
    finally:
        stop_emulators(running)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _targets(options: RunOptions) -> Iterator[list[Target]]:
    if options.target_files:
        targets = [load_target(f) for f in options.target_files]
        if options.vendors:
            check_vendors(options.vendors)
            targets = [t for t in targets if t.vendor in options.vendors]
            if not targets:
                raise HarnessError(
                    f"none of the target files is for {', '.join(options.vendors)}; "
                    "drop the vendor names or add a target file for them"
                )
        yield targets
        return
    with emulated_targets(options.vendors, in_child=True) as targets:
        yield targets


def _digests(vendor: str) -> dict[str, str]:
    found = vendor_digests(vendor)
    return {"schemas_sha256": found.schemas_sha256, "catalog_sha256": found.catalog_sha256}


def _listeners(options: RunOptions, har: HarWriter | None = None) -> list[Listener]:
    listeners: list[Listener] = [har] if har is not None else []
    if options.alluredir:
        listeners.append(AllureWriter(options.alluredir, har=har is not None))
    if options.junitxml:
        listeners.append(JUnitWriter(options.junitxml))
    return [*listeners, *options.listeners]


def _check_outputs(options: RunOptions) -> None:
    """Every output path writable before anything runs."""
    if options.results_file is not None:
        check_output_file(options.results_file, "--results")
    if options.junitxml is not None:
        check_output_file(options.junitxml, "--junitxml")
    if options.alluredir is not None:
        check_output_folder(options.alluredir, "--alluredir")
    if options.har_dir is not None:
        check_output_folder(options.har_dir, "--har")


def run(options: RunOptions, today: date | datetime | None = None) -> RunReport:
    """Run the checks and return the report (never raises for vendor behaviour)."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    if options.vendors:
        check_vendors(options.vendors)
    _check_outputs(options)
    concerns = resolve_concerns(options.suites)
    waivers = load_waivers(options.waivers) if options.waivers else None
    earlier = read_results_findings(options.baseline) if options.baseline else None
    har = None
    if options.har_dir is not None:
        har = HarWriter(options.har_dir.resolve())
    with _targets(options) as targets:
        live = [t for t in targets if t.is_live]
        if live and not options.over_budget:  # measured on the emulators: harness plan
            refusal = over_budget(
                estimate_all(live, concerns=concerns, max_examples=options.max_examples)
            )
            if refusal:
                raise HarnessError(refusal)
        engine = Engine(
            targets,
            concerns=concerns,
            options=SessionOptions(max_examples=options.max_examples),
            listeners=_listeners(options, har),
            # Every target side by side by default: target files are other processes or
            # live APIs, and the built-in emulators serve from a child interpreter.
            jobs=options.jobs,
        )
        with engine:
            engine.run()
        report = RunReport(
            results=engine.results,
            targets=targets,
            cases=engine.verdicts,
            setup_errors=engine.setup_errors,
            started=started,
            finished=datetime.now(UTC).isoformat(timespec="seconds"),
            har_files=dict(har.written) if har is not None else {},
        )
    if not report.results and not report.setup_errors:
        report.setup_errors.append("no check ran: no target, or no clause links a check")
    report.partial_reasons = partial_reasons(report.results, options.max_skipped)
    report.allow_partial = options.allow_partial
    if waivers is not None:
        now = today or datetime.now(UTC)
        report.waivers = apply_waivers(report.findings, waivers, now)
    if earlier is not None:
        current = [f.as_dict() for f in report.findings]
        report.baseline = compare_baseline(current, earlier, lambda n: ALIASES.get(n, n))
    results_file = options.results_file or Path(tempfile.mkdtemp()) / "results.json"
    write_results(report.record(), results_file)
    return report
