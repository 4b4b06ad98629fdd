"""Throttles shared by the targets that share a rate limit (one account, one key).

A vendor's documented limit usually applies per API key or account, not per target: two
targets (say, two environments of one tenant) probed with the same key draw on the same
allowance. The monitor gives such targets **one** set of throttles: by default targets
share when they have the same vendor, host and default credential; a
``rate_limit_group`` in the monitor config makes targets share that the harness cannot
tell apart (different keys of one account). Keys are hashes; no credential is kept here.

Targets on an emulator whose virtual clock the harness controls are not shared: their
throttles wait on that clock, which costs no time.
"""

from __future__ import annotations

import hashlib
import threading
from urllib.parse import urlsplit

from harness.ratelimit import Throttle
from harness.targets import Target

__all__ = ["ThrottlePool", "share_key"]


def share_key(target: Target, group: str | None = None) -> str:
    """Which rate-limit allowance a target draws on."""
    if group:
        return f"group:{group}"
    scheme = target.profile.auth[0].credentials
    credential = target.credentials.get(scheme[0], "") if scheme else ""
    host = urlsplit(target.base_url).netloc
    digest = hashlib.sha256(f"{target.vendor}\0{host}\0{credential}".encode()).hexdigest()
    return f"{target.vendor}:{digest[:16]}"


class ThrottlePool:
    """One dictionary of throttles (the client's, by rule) per share key."""

    def __init__(self) -> None:
        self._shared: dict[str, dict[str, Throttle]] = {}
        self._members: dict[str, int] = {}
        self._lock = threading.Lock()

    def throttles(self, key: str) -> dict[str, Throttle]:
        with self._lock:
            self._members[key] = self._members.get(key, 0) + 1
            return self._shared.setdefault(key, {})

    def sharing(self) -> dict[str, int]:
        """How many targets draw on each allowance (for the start-up summary)."""
        with self._lock:
            return dict(self._members)
