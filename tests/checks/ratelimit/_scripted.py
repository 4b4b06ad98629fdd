"""Running rate-limit checks against small scripted servers (no sockets), on a clock that
skips the throttle's pauses."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from harness.checks import TargetSession, get_check
from harness.engine import CheckResult, run_check
from tests.support.sessions import fake_session

Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json; charset=utf-8"}
# what the scripted servers expect (the emulators' own credentials carry more schemes)
CREDENTIALS = {
    "itrp": {"api_token": "token-123"},
    "trackops": {"username": "sam", "api_token": "token-123"},
    "turris": {"client_id": "id-1", "client_secret": "secret-1"},
}


class SteppingClock:
    """Real time plus whatever the throttle slept: nothing waits."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def sleep(self, seconds: float) -> None:
        self.offset += max(0.0, seconds)


def scripted_session(
    tmp_path: Path, vendor: str, handler: Handler, strict: bool = False
) -> TargetSession:
    """A throttled session of ``vendor`` over ``handler``; the throttle's pauses cost no time."""
    session = fake_session(
        tmp_path, vendor, handler, strict=strict, throttle=True, credentials=CREDENTIALS[vendor]
    )
    session.client.clock = SteppingClock()
    return session


def run(
    tmp_path: Path, vendor: str, checks: tuple[str, ...], handler: Handler, strict: bool = False
) -> list[CheckResult]:
    session = scripted_session(tmp_path, vendor, handler, strict)
    try:
        return [run_check(session, get_check(name), None) for name in checks]
    finally:
        session.client.close()


def clauses(results: list[CheckResult]) -> set[str]:
    return {f.clause for r in results for f in r.findings}
