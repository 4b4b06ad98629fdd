"""Latency thresholds: the p95 response time over a window turns a target degraded or failing.

Each target keeps the response times of its recent cycles (:class:`LatencyWindow`, seeded
from the history when the monitor starts, so a cron-style ``--once`` sees the same
window as a service); :func:`apply_thresholds` compares the window's p95 (this cycle
included) with the target's ``degraded_ms`` and ``failed_ms``. A threshold only makes a
status worse, never better: an unreachable target stays unreachable.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import replace

from harness.monitor.policy import TargetPolicy
from harness.monitor.status import VendorRecord, percentile

__all__ = ["LatencyWindow", "apply_thresholds"]

RANK = {"healthy": 0, "degraded": 1, "failing": 2, "unreachable": 3}


class LatencyWindow:
    """Response times (seconds) of one target over the last ``seconds`` seconds."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._samples: deque[tuple[float, float]] = deque()
        self._lock = threading.Lock()

    def add(self, at: float, latencies: Iterable[float]) -> None:
        with self._lock:
            self._samples.extend((at, value) for value in latencies)

    def p95_ms(self, now: float) -> float | None:
        with self._lock:
            while self._samples and self._samples[0][0] < now - self.seconds:
                self._samples.popleft()
            values = [v for _, v in self._samples]
        p95 = percentile(values, 95)
        return None if p95 is None else round(p95 * 1000.0, 3)


def apply_thresholds(
    record: VendorRecord, window: LatencyWindow, policy: TargetPolicy
) -> VendorRecord:
    """The record with this cycle's latencies added to the window, the window's p95, and
    the status its thresholds call for."""
    window.add(record.started, record.latencies)
    p95 = window.p95_ms(record.finished)
    record = replace(record, window_p95_ms=p95)
    if p95 is None or record.status == "unreachable":
        return record
    span = f"{window.seconds / 60:g} min"
    limits = (
        ("failed_ms", policy.failed_ms, "failing"),
        ("degraded_ms", policy.degraded_ms, "degraded"),
    )
    for name, limit, status in limits:
        if limit is not None and p95 > limit:
            note = f"p95 latency {p95:.0f} ms over {span} is above {name} {limit:g}"
            worse = status if RANK[status] > RANK[record.status] else record.status
            return replace(record, status=worse, notes=(*record.notes, note))  # type: ignore[arg-type]
    return record
