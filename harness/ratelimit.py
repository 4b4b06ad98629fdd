"""Client-side rate limiting: parse what the target says, and stay under what it documents.

The throttle runs on an injected :class:`Clock`. Against a live target the clock
sleeps for real; against an emulator that allows clock control, "sleeping" advances
the emulator's virtual clock instead, so a 1-request-per-second vendor is probed at
full speed without ever breaking its documented limit.
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol

from harness.profiles import RateLimit, RateRule

__all__ = [
    "Clock",
    "RateLimitStatus",
    "SystemClock",
    "Throttle",
    "parse_rate_limit_headers",
    "parse_retry_after",
]


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Real time; ``sleep`` blocks."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


@dataclass(frozen=True, slots=True)
class RateLimitStatus:
    limit: int | None
    remaining: int | None
    reset: int | None


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip()
    return int(text) if text.isdigit() else None


def parse_rate_limit_headers(headers: Mapping[str, str], policy: RateLimit) -> RateLimitStatus:
    """The documented X-RateLimit-* style headers, as integers (None when absent or malformed)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    names = policy.headers
    return RateLimitStatus(
        limit=_int(lowered.get(names.get("limit", "").lower())),
        remaining=_int(lowered.get(names.get("remaining", "").lower())),
        reset=_int(lowered.get(names.get("reset", "").lower())),
    )


class Throttle:
    """At most ``fraction`` of a documented rule's rate, over a sliding window.

    ``acquire()`` returns once one more request may be sent, sleeping on the clock
    when needed. A fraction of 1.0 uses exactly the documented number.
    """

    def __init__(self, rule: RateRule, clock: Clock, fraction: float = 1.0) -> None:
        if not 0 < fraction <= 1:
            raise ValueError(
                f"fraction={fraction} is outside (0, 1]: it is the share of the documented "
                "limit the harness may use"
            )
        self.rule = rule
        self.clock = clock
        share = rule.requests * fraction
        self.allowed = max(1, math.floor(share))
        # Below one request per window, stretch the window instead: 1/s at 0.5 is 1 per 2 s.
        self.window = float(rule.window_seconds) * (1.0 if share >= 1 else 1.0 / share)
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self.slept = 0.0
        if self.allowed == 1:
            # One request per window: a request made just before this run (an earlier run,
            # another client) would turn our first into a 429, so start by waiting a window.
            self._sent.append(clock.now())

    def delay(self) -> float:
        """Seconds until one more request fits in the window."""
        now = self.clock.now()
        while self._sent and self._sent[0] <= now - self.window:
            self._sent.popleft()
        if len(self._sent) < self.allowed:
            return 0.0
        return self._sent[0] + self.window - now

    def acquire(self) -> float:
        """Thread-safe (clients of several targets may share a throttle); the wait
        happens outside the lock, the slot is taken under it. Returns the slot's time
        (for :meth:`settle`)."""
        while True:
            with self._lock:
                wait = self.delay()
                if wait <= 0:
                    at = self.clock.now()
                    self._sent.append(at)
                    return at
            self.clock.sleep(wait)
            self.slept += wait

    def settle(self, at: float) -> None:
        """The request sent in the slot taken at ``at`` has been answered: count it from
        now. The target may have received it late (a slow network, a busy server), and
        counted from its send time the next request could reach the target within the
        same window as this one, from the target's point of view."""
        with self._lock:
            if self._sent and self._sent[-1] == at:
                self._sent.pop()
            else:
                try:
                    self._sent.remove(at)
                except ValueError:
                    return  # already out of the window
            bisect.insort(self._sent, max(at, self.clock.now()))
