"""The harness's pytest plugin: runs the conformance suites against targets.

Registered through the ``pytest11`` entry point. One option group (``harness``),
each option with an ini twin; state lives in ``config.stash``. A suite module is
vendor-agnostic: it marks its concern and asks for ``harness_case``; the plugin
parametrizes it with one case per (vendor, clause, operation) verified by checks of
that concern, and marks each case with its clause id::

    pytestmark = pytest.mark.concern("pagination")

    def test_pagination(harness_case):
        harness_case.run()

A check shared by several clauses runs once per target and operation; each clause's
case reports that check's findings on its own clause. Without ``--target-file`` the
plugin starts the built-in emulators of every vendor.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness import _allure
from harness.catalog import Clause
from harness.checks import CheckSpec, TargetSession, get_check
from harness.engine import CheckResult, open_session, planned_checks, run_check
from harness.errors import HarnessError
from harness.findings import Finding
from harness.profiles import Operation
from harness.targets import Target, load_target

__all__ = [
    "STATE",
    "Case",
    "CaseResult",
    "ConformanceFailure",
    "HarnessCheckError",
    "HarnessState",
]

MARKERS = (
    "clause(id): the clause of the catalog that this case verifies",
    "concern(name): the concern a suite module covers (auth, pagination, ...)",
    "health: part of the scheduled health-check selection",
)


class ConformanceFailure(AssertionError):
    """The vendor broke the case's clause: the findings are in the message and results."""


class HarnessCheckError(Exception):
    """The harness could not run this check (unreachable target, bad config, harness bug)."""


@dataclass
class CaseResult:
    """The verdict on one (vendor, clause, operation)."""

    vendor: str
    clause: str
    operation: str
    concern: str
    checks: tuple[str, ...]
    outcome: str
    findings: list[Finding]
    reason: str = ""


@dataclass
class HarnessState:
    targets: list[Target] = field(default_factory=list)
    sessions: dict[str, TargetSession] = field(default_factory=dict)
    runs: dict[tuple[str, str, str], CheckResult] = field(default_factory=dict)
    cases: list[CaseResult] = field(default_factory=list)
    emulators: list[Any] = field(default_factory=list)
    vendors: tuple[str, ...] = ()
    started: bool = False
    max_examples: int | None = None

    @property
    def results(self) -> list[CheckResult]:
        """Every check run, once each."""
        return list(self.runs.values())

    def session(self, target: Target) -> TargetSession:
        key = _target_key(target)
        if key not in self.sessions:
            session = open_session(target)
            if self.max_examples:
                session.cache["max_examples"] = self.max_examples
            self.sessions[key] = session
        return self.sessions[key]

    def target(self, key: str) -> Target:
        return next(t for t in self.targets if _target_key(t) == key)

    def run(
        self, target: Target, spec: CheckSpec, op: Operation | None
    ) -> tuple[CheckResult, bool]:
        """The check's result on this target and operation, and whether it ran just now."""
        key = (_target_key(target), spec.name, op.id if op else "")
        if key in self.runs:
            return self.runs[key], False
        result = run_check(self.session(target), spec, op)
        self.runs[key] = result
        return result, True

    def close(self) -> None:
        for session in self.sessions.values():
            session.client.close()
            close = getattr(session.client.clock, "close", None)
            if close is not None:
                close()
        for emu in self.emulators:
            emu.stop()


def _target_key(target: Target) -> str:
    """Stable across runs (no port): part of each case's Allure history id."""
    return target.name


STATE = pytest.StashKey[HarnessState]()


@dataclass
class Case:
    """One (target, clause, operation) and the checks that verify it; ``run()`` is the test."""

    state: HarnessState
    target: Target
    clause: Clause
    checks: tuple[str, ...]
    operation: Operation | None
    concern: str

    def run(self) -> CaseResult:
        _allure.label_case(self.target, self.clause, self.operation, self.concern)
        runs = []
        for name in self.checks:
            result, fresh = self.state.run(self.target, get_check(name), self.operation)
            _allure.attach_run(result, self.state.session(self.target).client.redactor, fresh)
            runs.append(result)
        findings = [f for r in runs for f in r.findings if f.clause == self.clause.id]
        errors = [r for r in runs if r.outcome == "error"]
        skipped = [r for r in runs if r.outcome == "skipped"]
        outcome = "passed"
        reason = ""
        if errors:
            outcome, reason = "error", "; ".join(r.reason for r in errors)
        elif findings:
            outcome = "failed"
        elif skipped and len(skipped) == len(runs):
            outcome, reason = "skipped", "; ".join(sorted({r.reason for r in skipped}))
        case = CaseResult(
            vendor=self.target.vendor,
            clause=self.clause.id,
            operation=self.operation.id if self.operation else "",
            concern=self.concern,
            checks=self.checks,
            outcome=outcome,
            findings=findings,
            reason=reason,
        )
        self.state.cases.append(case)
        if outcome == "error":
            raise HarnessCheckError(reason)
        if outcome == "failed":
            lines = [f"{f.check}: {f.title}: {f.message}" for f in findings]
            raise ConformanceFailure(
                f"{self.clause.id} ({self.clause.summary})\n" + "\n".join(lines)
            )
        if outcome == "skipped":
            pytest.skip(reason)
        return case


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "conformance harness")
    group.addoption(
        "--target-file",
        action="append",
        default=[],
        metavar="FILE",
        help="target file (TOML) to probe; may be given several times "
        "(default: start the built-in emulators)",
    )
    group.addoption(
        "--harness-vendor",
        action="append",
        default=[],
        metavar="VENDOR",
        help="with the built-in emulators: only these vendors",
    )
    parser.addini("harness_target_files", "target files to probe", type="linelist", default=[])
    parser.addini(
        "harness_vendors",
        "vendors to emulate when no target file is given",
        type="linelist",
        default=[],
    )
    parser.addini("harness_max_examples", "fuzz examples per operation", default="")


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    state = HarnessState()
    config.stash[STATE] = state
    files = config.getoption("target_file") or config.getini("harness_target_files")
    state.vendors = tuple(config.getoption("harness_vendor") or config.getini("harness_vendors"))
    examples = str(config.getini("harness_max_examples") or "").strip()
    if examples:
        if not examples.isdigit() or int(examples) < 1:
            raise pytest.UsageError(
                f"harness_max_examples={examples!r}: expected a whole number >= 1 "
                "(fuzz examples per operation), e.g. --max-examples 25"
            )
        state.max_examples = int(examples)
    try:
        state.targets = [load_target(Path(f)) for f in files]
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from exc
    state.started = bool(files)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is not None:
        state.close()


def pytest_sessionfinish(session: pytest.Session) -> None:
    state = session.config.stash.get(STATE, None)
    alluredir = session.config.getoption("allure_report_dir", None)
    if state is not None and alluredir:
        _allure.write_metadata(Path(alluredir), state.targets)


def _ensure_targets(state: HarnessState) -> None:
    """Start the built-in emulators the first time a suite needs targets and none were given."""
    if state.started:
        return
    state.started = True
    from harness._resources import vendor_names
    from harness.emulators import make_tls, start_emulator

    folder = Path(tempfile.mkdtemp(prefix="harness-targets-"))
    tls = make_tls(folder / "tls")
    for vendor in state.vendors or vendor_names():
        emu = start_emulator(vendor, tls=tls)
        state.emulators.append(emu)
        state.targets.append(load_target(emu.write_target(folder / f"{vendor}.toml"), environ={}))


def _cases(state: HarnessState, concerns: tuple[str, ...] | None) -> list[Any]:
    params = []
    for target in state.targets:
        session = state.session(target)
        grouped: dict[tuple[str, str], list[str]] = {}
        for spec, op in planned_checks(session, concerns):
            for clause in session.clauses.get(spec.name, ()):
                names = grouped.setdefault((clause.id, op.id if op else ""), [])
                if spec.name not in names:
                    names.append(spec.name)
        for (clause_id, op_id), names in grouped.items():
            marks = [pytest.mark.clause(clause_id)]
            if any(get_check(n).health for n in names):
                marks.append(pytest.mark.health)
            key = "|".join((_target_key(target), clause_id, op_id, ",".join(names)))
            case_id = f"{target.vendor}-{clause_id}" + (f"-{op_id}" if op_id else "")
            params.append(pytest.param(key, id=case_id, marks=marks))
    return params


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop the placeholder item pytest makes for a suite with no case (nothing to verify)."""
    empty = [
        item
        for item in items
        if "harness_case" in getattr(getattr(item, "callspec", None), "params", {})
        and not isinstance(item.callspec.params["harness_case"], str)  # type: ignore[attr-defined]
    ]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [i for i in items if i not in empty]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "harness_case" not in metafunc.fixturenames:
        return
    state = metafunc.config.stash[STATE]
    marker = metafunc.definition.get_closest_marker("concern")
    concerns = tuple(marker.args) if marker else None
    _ensure_targets(state)
    metafunc.parametrize("harness_case", _cases(state, concerns), indirect=True)


@pytest.fixture
def harness_case(request: pytest.FixtureRequest) -> Case:
    state = request.config.stash[STATE]
    target_key, clause_id, op_id, names = request.param.split("|")
    target = state.target(target_key)
    session = state.session(target)
    clause = next(c for cs in session.clauses.values() for c in cs if c.id == clause_id)
    operation = target.profile.operation(op_id) if op_id else None
    marker = request.node.get_closest_marker("concern")
    concern = marker.args[0] if marker else clause.concern
    return Case(state, target, clause, tuple(names.split(",")), operation, concern)


@pytest.fixture(scope="session")
def harness_state(request: pytest.FixtureRequest) -> HarnessState:
    return request.config.stash[STATE]
