"""The harness's pytest plugin: the conformance suites as pytest tests over the engine.

Registered through the ``pytest11`` entry point. One option group (``harness``), each
option with an ini twin; state lives in ``config.stash``. A suite module is
vendor-agnostic: it marks its concern and asks for ``harness_case``; the plugin
parametrizes it with one case per (vendor, clause, operation) of the clauses of that
concern, and marks each case with its clause id::

    pytestmark = pytest.mark.concern("pagination")

    def test_pagination(harness_case):
        harness_case.run()

The checks run in the :class:`~harness.engine.Engine`, restricted to the selected cases
(``-k``, ``-m``), in the engine's order whatever order the tests ask in; a test reports
its case's verdict. With several targets the engine works through them side by side in
threads (one per API origin, each under its own throttle, budget and clock) while the
tests ask for verdicts; ``--harness-jobs 1`` runs them one after another. Without
``--target-file`` the plugin starts the built-in emulators.
``--harness-alluredir`` attaches the harness's Allure writer to the engine.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.checks import SessionOptions
from harness.engine import CaseKey, CaseVerdict, Engine, TargetPlan, plan_target
from harness.errors import HarnessError
from harness.reporting.allure_results import AllureWriter
from harness.runner import check_vendors, emulated_targets
from harness.targets import Target, load_target

__all__ = ["STATE", "Case", "ConformanceFailure", "HarnessCheckError", "HarnessState"]

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
class HarnessState:
    targets: list[Target] = field(default_factory=list)
    plans: list[TargetPlan] = field(default_factory=list)
    vendors: tuple[str, ...] = ()
    started: bool = False
    max_examples: int | None = None
    jobs: int | None = None
    alluredir: Path | None = None
    engine: Engine | None = None
    resources: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        self.resources.close()


STATE = pytest.StashKey[HarnessState]()


@dataclass
class Case:
    """One (target, clause, operation); ``run()`` is the test."""

    state: HarnessState
    index: int
    key: CaseKey

    @property
    def target(self) -> Target:
        return self.state.targets[self.index]

    def run(self) -> CaseVerdict:
        engine = self.state.engine
        if engine is None:
            raise HarnessCheckError("the harness engine was not started (collection failed?)")
        engine.run_in_background()  # the first test sets every target going (once)
        verdict = engine.verdict(self.index, self.key)
        if verdict.outcome == "error":
            raise HarnessCheckError(verdict.reason)
        if verdict.outcome == "failed":
            lines = [f"{f.check}: {f.title}: {f.message}" for f in verdict.findings]
            clause = self.key.clause
            raise ConformanceFailure(f"{clause.id} ({clause.summary})\n" + "\n".join(lines))
        if verdict.outcome == "skipped":
            pytest.skip(verdict.reason)
        return verdict


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
        help="only these vendors (of the target files, or of the built-in emulators)",
    )
    group.addoption(
        "--harness-alluredir",
        metavar="DIR",
        default=None,
        help="write Allure results of the cases here",
    )
    group.addoption(
        "--harness-jobs",
        metavar="N",
        default=None,
        help="targets checked at once (default: all, one thread per API origin; 1: serially)",
    )
    parser.addini("harness_target_files", "target files to probe", type="linelist", default=[])
    parser.addini("harness_vendors", "only these vendors", type="linelist", default=[])
    parser.addini("harness_max_examples", "fuzz examples per operation", default="")
    parser.addini("harness_alluredir", "write Allure results of the cases here", default="")
    parser.addini("harness_jobs", "targets checked at once (1: serially)", default="")


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    state = HarnessState()
    config.stash[STATE] = state
    files = config.getoption("target_file") or config.getini("harness_target_files")
    state.vendors = tuple(config.getoption("harness_vendor") or config.getini("harness_vendors"))
    alluredir = config.getoption("harness_alluredir") or config.getini("harness_alluredir")
    state.alluredir = Path(alluredir) if alluredir else None
    examples = str(config.getini("harness_max_examples") or "").strip()
    if examples:
        if not examples.isdigit() or int(examples) < 1:
            raise pytest.UsageError(
                f"harness_max_examples={examples!r}: expected a whole number >= 1 "
                "(fuzz examples per operation), e.g. --max-examples 25"
            )
        state.max_examples = int(examples)
    jobs = str(config.getoption("harness_jobs") or config.getini("harness_jobs") or "").strip()
    if jobs:
        if not jobs.isdigit() or int(jobs) < 1:
            raise pytest.UsageError(
                f"harness_jobs={jobs!r}: expected a whole number >= 1 (targets checked at "
                "once; 1 checks them one after another), e.g. --harness-jobs 1"
            )
        state.jobs = int(jobs)
    try:
        check_vendors(state.vendors)
        targets = [load_target(Path(f)) for f in files]
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from exc
    if state.vendors:
        targets = [t for t in targets if t.vendor in state.vendors]
    state.targets = targets
    state.started = bool(files)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is not None:
        state.close()


def _ensure_targets(state: HarnessState) -> None:
    """Start the built-in emulators the first time a suite needs targets and none were given."""
    if not state.started:
        state.started = True
        state.targets = state.resources.enter_context(emulated_targets(state.vendors))
    if not state.plans:
        state.plans = [plan_target(t) for t in state.targets]


def _case_id(state: HarnessState, index: int, key: CaseKey) -> str:
    vendor = state.targets[index].vendor
    duplicate = sum(1 for t in state.targets if t.vendor == vendor) > 1
    prefix = f"{vendor}{index}" if duplicate else vendor
    return f"{prefix}-{key.clause.id}" + (f"-{key.operation_id}" if key.operation else "")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "harness_case" not in metafunc.fixturenames:
        return
    state = metafunc.config.stash[STATE]
    marker = metafunc.definition.get_closest_marker("concern")
    concerns = set(marker.args) if marker else None
    _ensure_targets(state)
    params = []
    for index, plan in enumerate(state.plans):
        for key in plan.ordered_cases():
            if concerns is not None and key.clause.concern not in concerns:
                continue
            marks = [pytest.mark.clause(key.clause.id)]
            if any(c.spec.health for c in plan.cases[key]):
                marks.append(pytest.mark.health)
            params.append(pytest.param((index, key), id=_case_id(state, index, key), marks=marks))
    metafunc.parametrize("harness_case", params, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop the placeholder item pytest makes for a suite with no case (nothing to verify)."""
    empty = [
        item
        for item in items
        if "harness_case" in getattr(getattr(item, "callspec", None), "params", {})
        and not isinstance(item.callspec.params["harness_case"], tuple)  # type: ignore[attr-defined]
    ]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [i for i in items if i not in empty]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the engine on exactly the cases that were selected."""
    state = session.config.stash[STATE]
    selected: dict[int, set[tuple[str, str]]] = {}
    for item in session.items:
        param: Any = getattr(getattr(item, "callspec", None), "params", {}).get("harness_case")
        if isinstance(param, tuple):
            index, key = param
            selected.setdefault(index, set()).add((key.clause.id, key.operation_id))
    if not selected:
        return
    listeners = [AllureWriter(state.alluredir)] if state.alluredir else []
    state.engine = Engine(
        state.targets,
        cases=selected,
        options=SessionOptions(max_examples=state.max_examples),
        listeners=listeners,
        jobs=state.jobs,
    )


@pytest.fixture
def harness_case(request: pytest.FixtureRequest) -> Case:
    index, key = request.param
    return Case(request.config.stash[STATE], index, key)


@pytest.fixture(scope="session")
def harness_state(request: pytest.FixtureRequest) -> HarnessState:
    return request.config.stash[STATE]
