"""Client-side rate limiting parses what targets say and never exceeds the documented rate."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from harness.checks import get_check
from harness.client import Exchange
from harness.engine import open_session, run_check
from harness.profiles import RateRule, load_profile
from harness.ratelimit import Throttle, parse_rate_limit_headers, parse_retry_after
from harness.targets import load_target
from tests.support.sessions import fake_target_file


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def test_retry_after_in_seconds_and_as_an_http_date() -> None:
    assert parse_retry_after("3600", now=0) == 3600
    moment = datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
    now = datetime(2026, 1, 1, 0, 0, tzinfo=UTC).timestamp()
    assert parse_retry_after(format_datetime(moment, usegmt=True), now=now) == 60
    assert parse_retry_after("soon", now=0) is None
    assert parse_retry_after(None, now=0) is None


def test_itrp_rate_limit_headers_parse_as_integers() -> None:
    policy = load_profile("itrp").rate_limit
    status = parse_rate_limit_headers(
        {"X-RateLimit-Limit": "3600", "X-RateLimit-Remaining": "3542"}, policy
    )
    assert (status.limit, status.remaining) == (3600, 3542)
    assert parse_rate_limit_headers({"X-RateLimit-Limit": "lots"}, policy).limit is None


def test_a_throttle_at_one_per_second_spaces_requests_by_sleeping_on_its_clock() -> None:
    clock = FakeClock()
    throttle = Throttle(RateRule(1, 1, "all", "document"), clock)
    for _ in range(4):
        throttle.acquire()
    assert clock.sleeps == [1.0, 1.0, 1.0, 1.0]  # the first waits out a request made before
    assert clock.t == 4.0


def test_a_throttle_at_half_the_limit_allows_half_per_window() -> None:
    clock = FakeClock()
    throttle = Throttle(RateRule(10, 60, "all", "document"), clock, fraction=0.5)
    for _ in range(5):
        throttle.acquire()
    assert clock.sleeps == []
    throttle.acquire()
    assert clock.sleeps == [60.0]


def test_a_throttle_fraction_outside_the_range_is_refused_with_the_value() -> None:
    with pytest.raises(ValueError, match=r"fraction=1.5 is outside \(0, 1\]"):
        Throttle(RateRule(1, 1, "all", "document"), FakeClock(), fraction=1.5)


def test_a_fraction_below_one_request_per_window_stretches_the_window() -> None:
    clock = FakeClock()
    throttle = Throttle(RateRule(1, 1, "all", "document"), clock, fraction=0.5)
    throttle.acquire()
    throttle.acquire()
    assert clock.sleeps == [2.0, 2.0]


def test_a_settled_request_counts_from_its_answer_so_a_slow_one_never_crowds_the_next() -> None:
    clock = FakeClock()
    throttle = Throttle(RateRule(1, 1, "all", "document"), clock)
    sent = throttle.acquire()  # waits out the window before the run: t = 1
    clock.t += 0.7  # the answer took 0.7 s: the target may have counted it at t = 1.7
    throttle.settle(sent)
    throttle.acquire()
    assert clock.t == 2.7  # a full window after the answer, not after the send


class VirtualClock(FakeClock):
    """A clock the exhaustion probes can move between windows, as an emulator's."""

    def advance(self, seconds: float) -> float:
        self.t += seconds
        return self.t


def one_request_per_second(clock: VirtualClock) -> Callable[[httpx.Request], httpx.Response]:
    """A server that serves one request per one-second window and refuses the rest."""
    served: dict[int, int] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        window = int(clock.now())
        served[window] = served.get(window, 0) + 1
        if served[window] > 1:
            return httpx.Response(429, json={"error": "rate limit exceeded"})
        return httpx.Response(200, json={"data": []})

    return handler


def test_the_requests_that_drive_a_limit_over_its_number_reach_the_listeners(
    tmp_path: Path,
) -> None:
    clock = VirtualClock()
    seen: list[httpx.Request] = []
    serve = one_request_per_second(clock)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return serve(request)

    allow = {"exhaustion": True, "clock_control": True}
    target = load_target(fake_target_file(tmp_path, "trackops", allow=allow), environ={})
    session = open_session(target, transport=httpx.MockTransport(handler), clock=clock)
    session = dataclasses.replace(session, controls_clock=True)  # as over an emulator
    recorded: list[Exchange] = []
    session.client.listeners.append(recorded.append)

    result = run_check(session, get_check("ratelimit.enforced"), None)

    assert result.outcome == "passed", result.reason
    assert [x.status for x in recorded] == [200, 429, 200]  # the limit, one over, recovery
    assert len(seen) == len(recorded) == session.client.sent  # all counted, none lost
