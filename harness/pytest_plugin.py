"""The harness's pytest plugin: runs the conformance suites against targets.

Registered through the ``pytest11`` entry point. One option group (``harness``),
each option with an ini twin; state lives in ``config.stash``. A suite module is
vendor-agnostic: it marks its concern and asks for ``harness_case``; the plugin
parametrizes it over (target, check, operation) from the clause links, and marks
each case with the clause ids it verifies::

    pytestmark = pytest.mark.concern("pagination")

    def test_pagination(harness_case):
        harness_case.run()

Without ``--target-file`` the plugin starts the built-in emulators of every vendor.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.checks import TargetSession, get_check
from harness.engine import CheckResult, open_session, planned_checks, run_check
from harness.errors import HarnessError
from harness.profiles import Operation
from harness.targets import Target, load_target

__all__ = ["STATE", "Case", "ConformanceFailure", "HarnessCheckError", "HarnessState"]

MARKERS = (
    "clause(*ids): the clause ids of the catalog that this case verifies",
    "concern(name): the concern a suite module covers (auth, pagination, ...)",
    "health: part of the scheduled health-check selection",
)


class ConformanceFailure(AssertionError):
    """The vendor broke at least one clause: the findings are in the message and results."""


class HarnessCheckError(Exception):
    """The harness could not run this check (unreachable target, bad config, harness bug)."""


@dataclass
class HarnessState:
    targets: list[Target] = field(default_factory=list)
    sessions: dict[str, TargetSession] = field(default_factory=dict)
    results: list[CheckResult] = field(default_factory=list)
    emulators: list[Any] = field(default_factory=list)
    vendors: tuple[str, ...] = ()
    started: bool = False
    setup_error: str | None = None

    def session(self, target: Target) -> TargetSession:
        key = target.name + target.base_url
        if key not in self.sessions:
            self.sessions[key] = open_session(target)
        return self.sessions[key]

    def close(self) -> None:
        for session in self.sessions.values():
            session.client.close()
            clock = session.client.clock
            if hasattr(clock, "close"):
                clock.close()
        for emu in self.emulators:
            emu.stop()


STATE = pytest.StashKey[HarnessState]()


@dataclass
class Case:
    """One (target, check, operation) to run; ``run()`` is the whole test body."""

    state: HarnessState
    target: Target
    check: str
    operation: Operation | None

    def run(self) -> CheckResult:
        spec = get_check(self.check)
        result = run_check(self.state.session(self.target), spec, self.operation)
        self.state.results.append(result)
        if result.outcome == "skipped":
            pytest.skip(result.reason)
        if result.outcome == "error":
            raise HarnessCheckError(result.reason)
        if result.findings:
            lines = [f.one_line() for f in result.findings]
            raise ConformanceFailure(f"{len(lines)} finding(s):\n" + "\n".join(lines))
        return result


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


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    state = HarnessState()
    config.stash[STATE] = state
    files = config.getoption("target_file") or config.getini("harness_target_files")
    state.vendors = tuple(config.getoption("harness_vendor") or config.getini("harness_vendors"))
    try:
        state.targets = [load_target(Path(f)) for f in files]
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from exc
    state.started = bool(files)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is not None:
        state.close()


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "harness_case" not in metafunc.fixturenames:
        return
    state = metafunc.config.stash[STATE]
    marker = metafunc.definition.get_closest_marker("concern")
    concerns = tuple(marker.args) if marker else None
    _ensure_targets(state)
    params = []
    for target in state.targets:
        session = state.session(target)
        for spec, op in planned_checks(session, concerns):
            clauses = tuple(c.id for c in session.clauses.get(spec.name, ()))
            marks = [pytest.mark.clause(*clauses)]
            if spec.health:
                marks.append(pytest.mark.health)
            case_id = f"{target.vendor}-{spec.name}" + (f"-{op.id}" if op else "")
            params.append(pytest.param((target, spec.name, op), id=case_id, marks=marks))
    metafunc.parametrize("harness_case", params, indirect=True)


@pytest.fixture
def harness_case(request: pytest.FixtureRequest) -> Case:
    target, check, operation = request.param
    return Case(request.config.stash[STATE], target, check, operation)


@pytest.fixture(scope="session")
def harness_state(request: pytest.FixtureRequest) -> HarnessState:
    return request.config.stash[STATE]
