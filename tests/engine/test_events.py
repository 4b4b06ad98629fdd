"""The engine's event stream: complete, in order, and never carrying a raw secret."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.engine import (
    CaseFinished,
    CheckFinished,
    CheckStarted,
    Engine,
    Event,
    ExchangeRecorded,
    RunFinished,
    RunStarted,
    TargetFinished,
    TargetStarted,
    plan_target,
)
from harness.runner import emulated_targets
from harness.targets import Target


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    with emulated_targets(("trackops",)) as targets:
        yield targets[0]


@pytest.fixture(scope="module")
def events(target: Target) -> list[Event]:
    seen: list[Event] = []
    with Engine([target], listeners=[seen.append]) as engine:
        engine.run()
    return seen


def test_a_run_starts_and_finishes_once_around_everything(events: list[Event]) -> None:
    assert isinstance(events[0], RunStarted)
    assert isinstance(events[1], TargetStarted)
    assert isinstance(events[-1], RunFinished)
    assert isinstance(events[-2], TargetFinished)
    assert sum(isinstance(e, RunFinished) for e in events) == 1


def test_every_check_that_starts_finishes_before_the_next_starts(events: list[Event]) -> None:
    open_check = None
    for event in events:
        if isinstance(event, CheckStarted):
            assert open_check is None
            open_check = (event.check, event.operation)
        elif isinstance(event, ExchangeRecorded):
            assert open_check == (event.check, event.operation)
        elif isinstance(event, CheckFinished):
            assert open_check == (event.result.check, event.result.operation)
            open_check = None


def test_each_case_is_decided_once_after_all_of_its_checks(
    events: list[Event], target: Target
) -> None:
    finished: set[tuple[str, str]] = set()
    decided = []
    for event in events:
        if isinstance(event, CheckFinished):
            finished.add((event.result.check, event.result.operation))
        elif isinstance(event, CaseFinished):
            verdict = event.verdict
            assert {(c, verdict.operation) for c in verdict.checks} <= finished
            decided.append((verdict.clause.id, verdict.operation))
    assert len(decided) == len(set(decided)) == len(plan_target(target).cases)


def test_exchange_views_mask_every_credential(events: list[Event], target: Target) -> None:
    views = [e.view for e in events if isinstance(e, ExchangeRecorded)]
    assert views
    text = "\n".join(v.text() for v in views)
    for secret in target.secrets:
        assert secret not in text


def test_the_run_end_carries_every_result_and_verdict(events: list[Event]) -> None:
    end = events[-1]
    assert isinstance(end, RunFinished)
    assert len(end.results) == sum(isinstance(e, CheckFinished) for e in events)
    assert len(end.cases) == sum(isinstance(e, CaseFinished) for e in events)


def test_asking_for_one_verdict_runs_the_plan_only_up_to_its_last_check(target: Target) -> None:
    plan = plan_target(target)
    first = plan.ordered_cases()[0]
    with Engine([target]) as engine:
        verdict = engine.verdict(0, first)
        ran = len(engine.results)
    assert verdict.clause.id == first.clause.id
    assert ran == plan.case_position(first) + 1 < len(plan.checks)
