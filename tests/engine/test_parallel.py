"""Targets side by side, one thread per API origin: targets sharing an origin never send
at the same time, the others do, and a thread's error reaches the caller."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from harness.engine import Engine, TargetRun
from harness.engine.parallel import Workers, groups
from harness.errors import HarnessError
from harness.profiles import load_profile
from harness.targets import Target, load_target
from tests.support.sessions import fake_target_file

VENDOR = "toptickets"  # a generous documented limit: the throttle never waits here


def target(folder: Path, host: str, name: str) -> Target:
    path = fake_target_file(
        folder / name,
        VENDOR,
        extra={
            "name": name,
            "base_url": f"https://{host}" + urlsplit(load_profile(VENDOR).base_url).path,
        },
    )
    return load_target(path, environ={})


@pytest.fixture
def targets(tmp_path: Path) -> list[Target]:
    for name in ("a1", "b", "a2"):
        (tmp_path / name).mkdir()
    return [
        target(tmp_path, "api-a.test", "a1"),
        target(tmp_path, "api-b.test", "b"),
        target(tmp_path, "api-a.test", "a2"),
    ]


class InFlight:
    """A server that answers after a moment and counts requests in flight per host."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.together = 0  # most requests in flight across hosts

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        with self.lock:
            self.now[host] += 1
            self.most[host] = max(self.most[host], self.now[host])
            self.together = max(self.together, sum(self.now.values()))
        time.sleep(0.002)
        with self.lock:
            self.now[host] -= 1
        return httpx.Response(200, json=[])


def test_targets_are_grouped_by_origin_in_order(targets: list[Target]) -> None:
    assert groups(targets) == [[0, 2], [1]]


def test_targets_of_one_origin_never_send_at_once_and_other_origins_do(
    targets: list[Target],
) -> None:
    server = InFlight()
    with Engine(targets, concerns=("errors",), transport=httpx.MockTransport(server)) as engine:
        assert engine.parallel
        engine.run()
    assert server.most["api-a.test"] == 1
    assert server.together == 2
    assert engine.results


def test_jobs_1_runs_the_targets_one_after_another(targets: list[Target]) -> None:
    server = InFlight()
    with Engine(
        targets, concerns=("errors",), transport=httpx.MockTransport(server), jobs=1
    ) as engine:
        assert not engine.parallel
        engine.run()
    assert server.together == 1


def test_jobs_below_1_are_refused_with_the_fix(targets: list[Target]) -> None:
    with pytest.raises(HarnessError, match=r"jobs=0: expected 1 or more"):
        Engine(targets, jobs=0)


def test_an_error_in_a_thread_is_raised_in_the_caller_for_the_first_target() -> None:
    class Boom(Exception):
        pass

    ran: list[int] = []

    def work(run: TargetRun, index: int) -> None:
        ran.append(index)
        if index in (1, 2):
            raise Boom(f"target {index}")

    runs = [_FakeRun(f"https://t{i}.test") for i in range(3)]
    workers = Workers(runs, work).start()  # type: ignore[arg-type]
    workers.join()
    assert sorted(ran) == [0, 1, 2]
    with pytest.raises(Boom, match="target 1"):
        workers.raise_first()


class _FakeRun:
    """Just what Workers reads of a TargetRun: its target's origin, and stop()."""

    def __init__(self, origin: str) -> None:
        self.target = type("T", (), {"origin": origin})()
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_a_background_run_answers_verdicts_and_stops_when_the_engine_closes(
    targets: list[Target],
) -> None:
    server = InFlight()
    engine = Engine(targets, concerns=("errors",), transport=httpx.MockTransport(server))
    engine.run_in_background()
    run = engine.runs[1]
    case = run.plan.ordered_cases()[-1]
    verdict = engine.verdict(1, case)
    assert verdict.clause.id == case.clause.id
    engine.close()
    assert engine._background is not None and not engine._background.alive
