"""Writing to the history through database outages: keep, retry with backoff, record the gap.

When the database cannot be reached (a PostgreSQL restart, a network cut, a locked
SQLite file), the monitor goes on checking: records wait in memory, in order, and the
database is tried again after 1, 2, 4, ... up to :data:`MAX_BACKOFF` seconds. Once it
answers, the kept records are written (each in its own transaction, as always), then a
``monitor_gaps`` row says from when to when the database was away, why, and how many
records waited. At most :data:`MAX_KEPT` records wait; beyond that the oldest are
dropped and the gap row says how many were lost.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from harness.errors import HarnessError
from harness.monitor.database import describe, is_outage
from harness.monitor.status import VendorRecord
from harness.monitor.store import Cycle, HistoryStore, Payload, Saved

__all__ = ["MAX_BACKOFF", "MAX_KEPT", "Recorder"]

MAX_BACKOFF = 60.0
MAX_KEPT = 10_000


@dataclass
class _Save:
    cycle: Cycle
    record: VendorRecord
    channels: tuple[str, ...]
    payload: Payload | None
    reminder: float | None


@dataclass
class _Finish:
    cycle: Cycle
    finished: float


SavedHook = Callable[[VendorRecord, Saved], None]


class Recorder:
    """Writes records and cycle ends in order, surviving outages of the database."""

    def __init__(
        self,
        store: HistoryStore,
        *,
        on_saved: SavedHook | None = None,
        on_outage: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.on_saved = on_saved or (lambda record, saved: None)
        self.on_outage = on_outage or (lambda message: None)
        self.clock = clock
        self.waiting: deque[_Save | _Finish] = deque()
        self.down_since: float | None = None  # wall-clock start of the current outage
        self.reason = ""
        self.dropped = 0
        self._backoff = 0.0
        self._next_try = 0.0

    @property
    def available(self) -> bool:
        return self.down_since is None

    def save(
        self,
        cycle: Cycle,
        record: VendorRecord,
        channels: tuple[str, ...] = (),
        payload: Payload | None = None,
        reminder: float | None = None,
    ) -> None:
        self._keep(_Save(cycle, record, channels, payload, reminder))
        self.flush()

    def finish(self, cycle: Cycle) -> None:
        self._keep(_Finish(cycle, time.time()))
        self.flush()

    def _keep(self, job: _Save | _Finish) -> None:
        self.waiting.append(job)
        while len(self.waiting) > MAX_KEPT:
            self.waiting.popleft()
            self.dropped += 1

    def flush(self, *, force: bool = False) -> bool:
        """Write what waits (unless backing off); True when nothing waits any more."""
        if not self.waiting and self.down_since is None:
            return True
        if self.down_since is not None and not force and self.clock() < self._next_try:
            return False
        kept = len(self.waiting)
        try:
            while self.waiting:
                job = self.waiting[0]
                if isinstance(job, _Save):
                    saved = self.store.save(
                        job.cycle, job.record, job.channels, job.payload, reminder=job.reminder
                    )
                    self.waiting.popleft()
                    self.on_saved(job.record, saved)
                else:
                    self.store.finish_cycle(job.cycle, job.finished)
                    self.waiting.popleft()
            if self.down_since is not None:
                reason = self.reason + (
                    f"; {self.dropped} oldest records dropped" if self.dropped else ""
                )
                self.store.record_gap(self.down_since, time.time(), reason, kept)
                self.on_outage(f"the history database is back; {kept} waiting records written")
                self.down_since, self.dropped, self._backoff = None, 0, 0.0
        except sa.exc.SQLAlchemyError as exc:
            if not is_outage(exc):
                raise HarnessError(
                    f"the history database refused a write: {describe(exc)}"
                ) from None
            self._outage(describe(exc))
            return False
        return True

    def _outage(self, reason: str) -> None:
        if self.down_since is None:
            self.down_since = time.time()
            self.reason = reason
        self._backoff = min(MAX_BACKOFF, self._backoff * 2 or 1.0)
        self._next_try = self.clock() + self._backoff
        self.on_outage(
            f"the history database is unavailable ({reason}); {len(self.waiting)} records "
            f"waiting in memory, next try in {self._backoff:g} s"
        )
