"""The secrets a whole process knows, so that every redactor masks every one of them.

Two kinds: the credentials of every target a redactor was made for (kept for the life of
the process), and values *learned* on the way: whatever the harness sent or received in a
secret place (an ``Authorization`` header, an ``access_token`` field, an ``api_token``
query parameter). Learning is how derived credentials are masked without each check
registering them: an access token granted by the vendor, a probe token with one character
changed, a Basic header built from mutated credentials. The learned values are bounded
(the most recent :data:`LEARNED_LIMIT`), so a monitor that runs for months does not grow.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from harness.redaction._matcher import Matcher

__all__ = ["LEARNED_LIMIT", "SHARED_MIN", "SecretRegistry"]

SHARED_MIN = 8  # shorter secrets are masked by the redactor given them, not process-wide
LEARNED_LIMIT = 256
LEARNED_MAX = 4096  # a longer value is not a credential


def learnable(value: str) -> bool:
    return SHARED_MIN <= len(value) <= LEARNED_MAX and not any(c.isspace() for c in value)


class SecretRegistry:
    """Kept and learned secrets, and a matcher for each (rebuilt when they change)."""

    def __init__(self, learned_limit: int = LEARNED_LIMIT) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, None] = {}
        self._learned: OrderedDict[str, None] = OrderedDict()
        self._limit = learned_limit
        self._matchers = (Matcher(()), Matcher(()))

    def matchers(self) -> tuple[Matcher, Matcher]:
        return self._matchers  # an immutable snapshot: readers never lock

    def keep(self, values: Iterable[str]) -> None:
        new = [v for v in values if len(v) >= SHARED_MIN and v not in self._kept]
        if not new:
            return
        with self._lock:
            self._kept.update(dict.fromkeys(new))
            self._matchers = (Matcher(self._kept), self._matchers[1])

    def learn(self, values: Iterable[str]) -> None:
        new = [v for v in values if learnable(v) and v not in self._kept and v not in self._learned]
        if not new:
            return
        with self._lock:
            for value in new:
                self._learned[value] = None
            while len(self._learned) > self._limit:
                self._learned.popitem(last=False)
            self._matchers = (self._matchers[0], Matcher(self._learned))

    def clear_learned(self) -> None:
        with self._lock:
            self._learned.clear()
            self._matchers = (self._matchers[0], Matcher(()))
