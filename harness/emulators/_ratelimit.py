"""Fixed-window rate limiting on the virtual clock."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from harness.emulators._clock import VirtualClock


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float
    retry_after: int

    @property
    def reset_epoch(self) -> int:
        return math.ceil(self.reset_at)


class WindowLimiter:
    """At most ``limit`` requests per key in each window of ``window_seconds``.

    Windows are aligned to the epoch (an hourly limit resets on the hour), as the
    vendors' ``X-RateLimit-Reset`` headers suggest.
    """

    def __init__(self, limit: int, window_seconds: float, clock: VirtualClock) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError(f"limit={limit}, window={window_seconds}: both must be positive")
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def _window(self, now: float) -> int:
        return int(now // self.window)

    def hit(self, key: str, cost: int = 1) -> Decision:
        """Count one request for ``key`` and say whether it is allowed."""
        now = self._clock.now()
        window = self._window(now)
        reset_at = (window + 1) * self.window
        with self._lock:
            seen_window, used = self._counts.get(key, (window, 0))
            if seen_window != window:
                used = 0
            if used + cost > self.limit:
                self._counts[key] = (window, used)
                return Decision(False, self.limit, 0, reset_at, max(1, math.ceil(reset_at - now)))
            used += cost
            self._counts[key] = (window, used)
            return Decision(True, self.limit, self.limit - used, reset_at, 0)

    def peek(self, key: str) -> Decision:
        """The current state for ``key`` without counting a request."""
        now = self._clock.now()
        window = self._window(now)
        reset_at = (window + 1) * self.window
        with self._lock:
            seen_window, used = self._counts.get(key, (window, 0))
        if seen_window != window:
            used = 0
        return Decision(used < self.limit, self.limit, self.limit - used, reset_at, 0)
