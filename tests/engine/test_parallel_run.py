"""Targets side by side: the same verdicts, results and reports as one after another
(emulators, every vendor; the pytest plugin too)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness._resources import vendor_names
from harness.checks import CONCERNS, SessionOptions
from harness.engine import (
    CaseFinished,
    CheckFinished,
    CheckStarted,
    Engine,
    Event,
    ExchangeRecorded,
    RunFinished,
    TargetFinished,
    TargetStarted,
)
from harness.reporting.allure_results import AllureWriter
from harness.reporting.junit import JUnitWriter
from harness.runner import RunOptions, emulated_targets, run
from tests.engine._plugin import plugin_outcomes

# Every vendor and concern but the rate-limit enforcement (thousands of requests on two
# vendors; the engine gives it no special treatment), few fuzz examples: a lean run.
CONCERNS_RUN = tuple(c for c in CONCERNS if c != "ratelimit")
OPTIONS = SessionOptions(max_examples=3)


@dataclass
class Recorded:
    """One run: what the listeners saw and wrote, and the engine's results."""

    events: list[Event] = field(default_factory=list)
    live: list[Event] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)
    verdicts: list[tuple[str, str, str, str, tuple[str, ...]]] = field(default_factory=list)
    results: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    folder: Path = Path()


class LiveListener:
    """A progress-style listener: every event as it happens."""

    live_events = True

    def __init__(self, seen: list[Event]) -> None:
        self.seen = seen

    def __call__(self, event: Event) -> None:
        self.seen.append(event)


def _run(folder: Path, jobs: int | None) -> Recorded:
    seen = Recorded(folder=folder)

    def record(event: Event) -> None:
        seen.events.append(event)
        seen.threads.add(threading.current_thread().name)

    with emulated_targets(vendor_names()) as targets:
        listeners: list[Callable[[Event], None]] = [
            record,
            LiveListener(seen.live),
            JUnitWriter(folder / "junit.xml"),
            AllureWriter(folder / "allure"),
        ]
        with Engine(
            targets, concerns=CONCERNS_RUN, options=OPTIONS, listeners=listeners, jobs=jobs
        ) as engine:
            engine.run()
    seen.verdicts = [
        (v.vendor, v.clause.id, v.operation, v.outcome, tuple(sorted(f.clause for f in v.findings)))
        for v in engine.verdicts
    ]
    seen.results = [(r.vendor, r.check, r.operation, r.outcome, r.requests) for r in engine.results]
    return seen


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return _run(tmp_path_factory.mktemp("serial"), jobs=1)


@pytest.fixture(scope="module")
def parallel(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return _run(tmp_path_factory.mktemp("parallel"), jobs=None)


def _shape(event: Event) -> tuple[str, ...]:
    """What an event says, without times and object identities."""
    if isinstance(event, CheckStarted):
        return ("check-started", event.target.name, event.check, event.operation)
    if isinstance(event, ExchangeRecorded):
        view = event.view
        return ("exchange", event.target.name, event.check, view.method, str(view.status))
    if isinstance(event, CheckFinished):
        r = event.result
        return ("check-finished", event.target.name, r.check, r.operation, r.outcome)
    if isinstance(event, CaseFinished):
        v = event.verdict
        return ("case", v.target.name, v.clause.id, v.operation, v.outcome)
    if isinstance(event, TargetStarted | TargetFinished):
        return (type(event).__name__, event.target.name)
    return (type(event).__name__,)


def test_a_parallel_run_gives_every_clause_the_verdict_a_serial_run_gives(
    serial: Recorded, parallel: Recorded
) -> None:
    assert len(serial.verdicts) > 100
    assert parallel.verdicts == serial.verdicts


def test_a_parallel_run_has_the_results_of_a_serial_run_in_the_same_order(
    serial: Recorded, parallel: Recorded
) -> None:
    assert parallel.results == serial.results


def test_the_targets_really_ran_side_by_side(serial: Recorded, parallel: Recorded) -> None:
    starts = [i for i, e in enumerate(parallel.live) if isinstance(e, TargetStarted)]
    first_end = next(i for i, e in enumerate(parallel.live) if isinstance(e, TargetFinished))
    assert len(starts) == len(vendor_names())
    assert all(i < first_end for i in starts)  # every target started before one finished
    serial_starts = [i for i, e in enumerate(serial.live) if isinstance(e, TargetStarted)]
    serial_end = next(i for i, e in enumerate(serial.live) if isinstance(e, TargetFinished))
    assert [i < serial_end for i in serial_starts].count(True) == 1


def test_reporters_get_the_events_of_a_serial_run_in_its_order(
    serial: Recorded, parallel: Recorded
) -> None:
    assert [_shape(e) for e in parallel.events] == [_shape(e) for e in serial.events]
    assert isinstance(parallel.events[-1], RunFinished)


def test_a_live_listener_gets_every_event_once(parallel: Recorded) -> None:
    assert sorted(map(_shape, parallel.live)) == sorted(map(_shape, parallel.events))


def test_listeners_are_called_from_one_dispatcher_thread(parallel: Recorded) -> None:
    assert parallel.threads == {"harness-events"}


def _without_times(text: str) -> str:
    return re.sub(r'(time|timestamp)="[^"]*"', "", text)


def test_the_junit_xml_of_a_parallel_run_is_the_serial_run_s(
    serial: Recorded, parallel: Recorded
) -> None:
    serial_xml = (serial.folder / "junit.xml").read_text()
    assert _without_times((parallel.folder / "junit.xml").read_text()) == _without_times(serial_xml)


def _allure_cases(folder: Path) -> list[tuple[str, str, str, int]]:
    found = []
    for path in (folder / "allure").glob("*-result.json"):
        result = json.loads(path.read_text())
        steps = len(result["steps"])
        found.append((result["historyId"], result["name"], result["status"], steps))
    return sorted(found)


def test_the_allure_results_of_a_parallel_run_are_the_serial_run_s(
    serial: Recorded, parallel: Recorded
) -> None:
    assert _allure_cases(parallel.folder) == _allure_cases(serial.folder)
    assert len(list((parallel.folder / "allure").iterdir())) == len(
        list((serial.folder / "allure").iterdir())
    )


def test_the_plugin_checking_targets_side_by_side_gives_a_serial_run_s_verdicts(
    tmp_path: Path,
) -> None:
    vendors = vendor_names()[-2:]
    report = run(RunOptions(vendors=vendors, results_file=tmp_path / "results.json", jobs=1))
    expected = {
        f"{c.vendor}-{c.clause.id}" + (f"-{c.operation}" if c.operation else ""): c.outcome
        for c in report.cases
    }
    assert plugin_outcomes(vendors, tmp_path) == expected  # the plugin: side by side
