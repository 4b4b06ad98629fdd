"""The cheap rate-limit checks against small scripted servers (no sockets), and the helper
that attributes an enforcement finding to the right clause."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from harness.checks import CheckContext, TargetSession, get_check
from harness.checks.ratelimit_exhaust import clause_for
from harness.engine import CheckResult, open_session, run_check
from harness.targets import load_target

TARGETS = {
    "itrp": '[credentials]\napi_token = "token-123"\n',
    "trackops": '[credentials]\nusername = "sam"\napi_token = "token-123"\n',
    "turris": '[credentials]\nclient_id = "id-1"\nclient_secret = "secret-1"\n',
    "toptickets": '[credentials]\napi_key = "tt_admin_1"\nro_api_key = "tt_ro_1"\n',
}
Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json; charset=utf-8"}


class SteppingClock:
    """Real time plus whatever the throttle slept: nothing waits."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def sleep(self, seconds: float) -> None:
        self.offset += max(0.0, seconds)


def _session(tmp_path: Path, vendor: str, handler: Handler, strict: bool) -> TargetSession:
    path = tmp_path / "target.toml"
    head = f'vendor = "{vendor}"\nbase_url = "https://{vendor}.test/v1"\nmode = "emulator"\n'
    head += "strict = true\n" if strict else ""
    path.write_text(head + TARGETS[vendor], encoding="utf-8")
    session = open_session(load_target(path, environ={}), transport=httpx.MockTransport(handler))
    session.client.clock = SteppingClock()  # the throttle's pauses cost no real time
    return session


def _run(
    tmp_path: Path, vendor: str, checks: tuple[str, ...], handler: Handler, strict: bool = False
) -> list[CheckResult]:
    session = _session(tmp_path, vendor, handler, strict)
    try:
        return [run_check(session, get_check(name), None) for name in checks]
    finally:
        session.client.close()


def _clauses(results: list[CheckResult]) -> set[str]:
    return {f.clause for r in results for f in r.findings}


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
    results = _run(tmp_path, "itrp", CHEAP, Itrp())
    assert [r.outcome for r in results] == ["passed"] * 3
    assert results[0].requests == 3  # two reads and one unknown path, shared by all three


def test_an_error_answer_without_the_remaining_header_breaks_the_headers_clause_only(
    tmp_path: Path,
) -> None:
    results = _run(tmp_path, "itrp", CHEAP, Itrp(errors_lose_remaining=True))
    assert _clauses(results) == {"ITRP-RL-HEADERS"}


def test_a_limit_header_other_than_the_documented_number_breaks_the_limit_clause(
    tmp_path: Path,
) -> None:
    results = _run(tmp_path, "itrp", CHEAP, Itrp(limit=5000))
    assert _clauses(results) == {"ITRP-RL-LIMIT"}
    assert "5000" in results[1].findings[0].title


def test_a_remaining_count_dropping_by_two_per_request_breaks_the_limit_clause(
    tmp_path: Path,
) -> None:
    results = _run(tmp_path, "itrp", CHEAP, Itrp(drop=2))
    assert _clauses(results) == {"ITRP-RL-LIMIT"}
    assert "drop by one" in results[1].findings[0].title


def _turris(reset: Callable[[], str] | None) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        if reset is not None:
            headers.update({
                "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "9",
                "X-RateLimit-Reset": reset(),
            })
        body = {"data": {"accessToken": "t", "expiresIn": 3600, "tokenType": "Bearer"}}
        return httpx.Response(201, headers=headers, json=body)

    return handle


TURRIS = ("ratelimit.headers", "ratelimit.reset-form")


def test_a_reset_in_seconds_left_instead_of_unix_time_breaks_the_headers_clause(
    tmp_path: Path,
) -> None:
    results = _run(tmp_path, "turris", TURRIS, _turris(lambda: "37"))
    assert results[0].outcome == "passed"
    assert results[1].outcome == "failed"
    assert _clauses(results) == {"TRS-RL-HEADERS"}
    assert "public-facts" in results[1].findings[0].message


def test_a_unix_time_reset_within_the_window_passes(tmp_path: Path) -> None:
    results = _run(tmp_path, "turris", TURRIS, _turris(lambda: str(int(time.time()) + 30)))
    assert [r.outcome for r in results] == ["passed", "passed"]


def test_headers_only_observed_elsewhere_may_be_absent_unless_strict(tmp_path: Path) -> None:
    lenient = _run(tmp_path, "turris", ("ratelimit.headers",), _turris(None))
    strict = _run(tmp_path, "turris", ("ratelimit.headers",), _turris(None), strict=True)
    assert lenient[0].outcome == "passed"
    assert strict[0].outcome == "failed"
    assert _clauses(strict) == {"TRS-RL-HEADERS"}


def test_a_refusal_at_the_documented_pace_breaks_the_one_per_second_clause(
    tmp_path: Path,
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/clients"):
            return httpx.Response(429, headers=JSON, json={"error": "Too many requests"})
        return httpx.Response(404, headers=JSON, json={"error": "Not Found"})

    results = _run(tmp_path, "trackops", ("ratelimit.paced",), handle)
    assert _clauses(results) == {"TRK-RL-ONE-PER-SECOND"}
    assert "2 of 3" in results[0].findings[0].title


def _context(tmp_path: Path, vendor: str, check: str) -> CheckContext:
    session = _session(tmp_path, vendor, lambda r: httpx.Response(200), strict=False)
    session.client.close()
    return CheckContext(session=session, check=check)


def test_an_enforcement_finding_is_attributed_by_the_rules_key_tier(tmp_path: Path) -> None:
    ctx = _context(tmp_path, "toptickets", "ratelimit.enforced")
    by_prefix = {r.key_prefix: clause_for(ctx, r) for r in ctx.profile.rate_limit.rules}
    assert by_prefix == {
        "tt_admin_": "TOP-RL-ADMIN",
        "tt_ro_": "TOP-RL-RO",
        "tt_agent_": "TOP-RL-OTHER-TIERS",
        "tt_live_": "TOP-RL-OTHER-TIERS",
    }


def test_an_enforcement_finding_is_attributed_by_the_rules_class_of_calls(
    tmp_path: Path,
) -> None:
    ctx = _context(tmp_path, "turris", "ratelimit.enforced")
    by_class = {r.applies_to: clause_for(ctx, r) for r in ctx.profile.rate_limit.rules}
    assert by_class == {"token": "TRS-RL-TOKEN", "write": "TRS-RL-WRITE"}


def test_a_check_linked_to_one_clause_attributes_everything_to_it(tmp_path: Path) -> None:
    ctx = _context(tmp_path, "itrp", "ratelimit.enforced")
    assert clause_for(ctx, ctx.profile.rate_limit.rules[0]) is None  # None: the linked one
    assert [c.id for c in ctx.clauses] == ["ITRP-RL-LIMIT"]
