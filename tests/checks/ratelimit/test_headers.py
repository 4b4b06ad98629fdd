"""The rate-limit header checks (and paced, which shares their sample) against scripted
ITRP-like and Turris-like servers."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.checks.ratelimit._scripted import JSON, Handler, clauses, run


class Itrp:
    """An ITRP-like server: X-RateLimit-* on every answer, optionally broken."""

    def __init__(self, limit: int = 3600, drop: int = 1, errors_lose_remaining: bool = False):
        self.limit, self.drop, self.errors_lose = limit, drop, errors_lose_remaining
        self.remaining = limit

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.remaining -= self.drop
        headers = {**JSON, "X-RateLimit-Limit": str(self.limit)}
        if request.url.path.endswith("/requests"):
            headers["X-RateLimit-Remaining"] = str(self.remaining)
            return httpx.Response(200, headers=headers, json=[{"id": 1}])
        if not self.errors_lose:
            headers["X-RateLimit-Remaining"] = str(self.remaining)
        return httpx.Response(404, headers=headers, json={"message": "Not Found"})


CHEAP = ("ratelimit.headers", "ratelimit.limit-reported", "ratelimit.paced")


def test_consistent_rate_limit_headers_on_successes_and_errors_pass(tmp_path: Path) -> None:
    results = run(tmp_path, "itrp", CHEAP, Itrp())
    assert [r.outcome for r in results] == ["passed"] * 3
    assert results[0].requests == 3  # two reads and one unknown path, shared by all three


def test_an_error_answer_without_the_remaining_header_breaks_the_headers_clause_only(
    tmp_path: Path,
) -> None:
    results = run(tmp_path, "itrp", CHEAP, Itrp(errors_lose_remaining=True))
    assert clauses(results) == {"ITRP-RL-HEADERS"}


def test_a_limit_header_other_than_the_documented_number_breaks_the_limit_clause(
    tmp_path: Path,
) -> None:
    results = run(tmp_path, "itrp", CHEAP, Itrp(limit=5000))
    assert clauses(results) == {"ITRP-RL-LIMIT"}
    assert "5000" in results[1].findings[0].title


def test_a_remaining_count_dropping_by_two_per_request_breaks_the_limit_clause(
    tmp_path: Path,
) -> None:
    results = run(tmp_path, "itrp", CHEAP, Itrp(drop=2))
    assert clauses(results) == {"ITRP-RL-LIMIT"}
    assert "drop by one" in results[1].findings[0].title


def _turris(reset: Callable[[], str] | None) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        if reset is not None:
            headers.update(
                {
                    "X-RateLimit-Limit": "10",
                    "X-RateLimit-Remaining": "9",
                    "X-RateLimit-Reset": reset(),
                }
            )
        body = {"data": {"accessToken": "t", "expiresIn": 3600, "tokenType": "Bearer"}}
        return httpx.Response(201, headers=headers, json=body)

    return handle


TURRIS = ("ratelimit.headers", "ratelimit.reset-form")


def test_a_reset_in_seconds_left_instead_of_unix_time_breaks_the_headers_clause(
    tmp_path: Path,
) -> None:
    results = run(tmp_path, "turris", TURRIS, _turris(lambda: "37"))
    assert results[0].outcome == "passed"
    assert results[1].outcome == "failed"
    assert clauses(results) == {"TRS-RL-HEADERS"}
    assert "public-facts" in results[1].findings[0].message


def test_a_unix_time_reset_within_the_window_passes(tmp_path: Path) -> None:
    results = run(tmp_path, "turris", TURRIS, _turris(lambda: str(int(time.time()) + 30)))
    assert [r.outcome for r in results] == ["passed", "passed"]


def test_headers_only_observed_elsewhere_may_be_absent_unless_strict(tmp_path: Path) -> None:
    lenient = run(tmp_path, "turris", ("ratelimit.headers",), _turris(None))
    strict = run(tmp_path, "turris", ("ratelimit.headers",), _turris(None), strict=True)
    assert lenient[0].outcome == "passed"
    assert strict[0].outcome == "failed"
    assert clauses(strict) == {"TRS-RL-HEADERS"}
