"""The emulator's virtual clock: real time plus an offset that only grows.

Token expiry and rate-limit windows run on this clock, so a test advances an hour
in a millisecond through ``POST /__emulator__/clock {"advance_seconds": 3600}``.
A frozen clock (``flowing=False``) moves only when advanced.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class VirtualClock:
    """Seconds since the Unix epoch, as the emulator sees them."""

    def __init__(
        self,
        start: float | None = None,
        *,
        flowing: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._start = time.time() if start is None else start
        self._flowing = flowing
        self._monotonic = monotonic
        self._t0 = monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        elapsed = self._monotonic() - self._t0 if self._flowing else 0.0
        with self._lock:
            return self._start + self._offset + elapsed

    def advance(self, seconds: float) -> float:
        """Move the clock forward (never back); returns the new time."""
        if seconds < 0:
            raise ValueError(f"advance_seconds={seconds} is negative; the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    @property
    def offset(self) -> float:
        return self._offset

    @property
    def flowing(self) -> bool:
        return self._flowing
