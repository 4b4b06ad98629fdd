"""The engine's event stream: complete, in order, and never carrying a raw secret."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from harness.checks._memo import Memo, memoized
from harness.client import Exchange
from harness.engine import (
    CaseFinished,
    CheckFinished,
    CheckStarted,
    Engine,
    Event,
    ExchangeRecorded,
    ExchangeView,
    RunFinished,
    RunStarted,
    TargetFinished,
    TargetStarted,
    plan_target,
)
from harness.redaction import Redactor
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


class CountingRedactor(Redactor):
    """A redactor that counts the bodies it redacts."""

    def __init__(self) -> None:
        super().__init__(())
        self.bodies = 0

    def body(self, raw: bytes | str, limit: int = 4096) -> str:
        self.bodies += 1
        return super().body(raw, limit)


def _exchange(body: dict[str, str]) -> Exchange:
    return Exchange(
        method="GET",
        url="https://vendor.test/v1/things",
        request_headers=(("accept", "application/json"),),
        request_body=b"",
        status=200,
        headers=httpx.Headers({"content-type": "application/json"}),
        content=json.dumps(body).encode(),
        elapsed=0.01,
    )


def test_a_view_redacts_the_bodies_only_when_they_are_shown() -> None:
    redactor = CountingRedactor()
    view = ExchangeView.of(_exchange({"note": "nothing secret"}), redactor)
    assert redactor.bodies == 0
    assert "nothing secret" in view.text()
    assert redactor.bodies == 1


def test_showing_a_body_first_redacts_every_earlier_body_of_the_session() -> None:
    secret = f"tok-{uuid.uuid4().hex}"
    redactor = Redactor(())
    first = ExchangeView.of(_exchange({"access_token": secret}), redactor)
    second = ExchangeView.of(_exchange({"echo": f"you sent {secret}"}), redactor, previous=first)
    text = second.text()  # the second is shown first: the first still teaches the secret
    assert secret not in text
    assert secret not in first.text()


# -- exchanges judged through the memo ----------------------------------------------------
def test_a_check_that_reads_a_memoized_value_is_given_the_exchanges_behind_it(
    events: list[Event],
) -> None:
    sender: dict[int, str] = {}
    reused = 0
    for event in events:
        if isinstance(event, ExchangeRecorded):
            sender[id(event.exchange)] = event.check
        elif isinstance(event, CheckFinished):
            result = event.result
            for exchange in result.used:  # recorded once, earlier, by another check
                assert sender[id(exchange)] != result.check
                assert all(exchange is not own for own in result.exchanges)
            reused += bool(result.used)
            assert result.judged == [*result.exchanges, *result.used]
    assert reused > 10  # most checks of a run judge what an earlier check fetched


class _Client:
    """What the memo watches of a client: its listeners and its request count."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[Exchange], None]] = []
        self.sent = 0

    def record(self, exchange: Exchange) -> Exchange:
        self.sent += 1
        for listener in self.listeners:
            listener(exchange)
        return exchange


@dataclass
class _Context:
    session: Any


def _memo_context() -> tuple[Any, _Client, Memo]:
    memo, client = Memo(), _Client()
    memo.watch(client)  # type: ignore[arg-type]
    return _Context(SimpleNamespace(memo=memo)), client, memo


def test_the_memo_hands_each_check_the_exchanges_of_the_values_it_reuses() -> None:
    ctx, client, memo = _memo_context()
    page, total = _exchange({"page": "1"}), _exchange({"total": "9"})

    @memoized
    def first_page(ctx: Any) -> Exchange:
        return client.record(page)

    @memoized
    def summary(ctx: Any) -> tuple[Exchange, Exchange]:
        client.sent += 5  # five requests an unthrottled copy of the client sent and forgot
        return first_page(ctx), client.record(total)

    memo.begin_check()  # check A computes the first page: nothing reused
    first_page(ctx)
    assert memo.take_used().exchanges == ()
    memo.begin_check()  # check B computes the summary from A's page and one request more
    summary(ctx)
    assert memo.take_used().exchanges == (page,)
    memo.begin_check()  # check C reads the summary: both exchanges, and the forgotten five
    summary(ctx)
    used = memo.take_used()
    assert used.exchanges == (page, total) and used.unrecorded == 5


def test_a_computation_that_fails_leaves_nothing_behind() -> None:
    ctx, client, memo = _memo_context()

    @memoized
    def broken(ctx: Any) -> None:
        client.record(_exchange({"error": "boom"}))
        raise RuntimeError("boom")

    memo.begin_check()
    with pytest.raises(RuntimeError):
        broken(ctx)
    assert not broken.known(ctx) and memo.take_used().exchanges == ()
    client.record(_exchange({"later": "request"}))  # no computation collects it now
    assert memo.computing().exchanges == []
