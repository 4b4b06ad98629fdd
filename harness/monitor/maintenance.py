"""Maintenance windows: while one is open for a target, its checks run but no alert fires.

Two kinds, both matched against a target by name or vendor (shell-style globs allowed,
``*`` for every target):

- **recurring**, from the monitor config file: on some weekdays from a local time for a
  duration, in a time zone (``[[maintenance]]``, see :mod:`harness.monitor.config`);
- **ad hoc**, opened with ``harness monitor pause TARGET --for 2h --reason ...`` and kept
  in the history database, so every monitor sharing it (every shard) honours it, and
  ``harness history`` shows it; ``harness monitor resume TARGET`` closes it early.

Records taken during a window carry its reason (the history shows the window).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from harness.monitor.schema import maintenance
from harness.monitor.store import HistoryStore

__all__ = ["AdHocWindow", "Maintenance", "RecurringWindow", "close_windows", "open_window"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def matches(pattern: str, vendor: str, target: str) -> bool:
    return fnmatchcase(target, pattern) or fnmatchcase(vendor, pattern)


@dataclass(frozen=True)
class RecurringWindow:
    """Every ``days`` (0 = Monday) from ``start`` (minutes after local midnight) for
    ``duration`` seconds, in ``zone``."""

    match: str
    days: tuple[int, ...]
    start: int
    duration: float
    zone: str
    reason: str

    def active(self, now: float) -> bool:
        tz = ZoneInfo(self.zone)
        local = datetime.fromtimestamp(now, tz)
        back = math.ceil(self.duration / 86400) + 1
        for offset in range(back):
            day = (local - timedelta(days=offset)).date()
            if day.weekday() not in self.days:
                continue
            begins = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
                minutes=self.start
            )
            if begins <= local < begins + timedelta(seconds=self.duration):
                return True
        return False


@dataclass(frozen=True)
class AdHocWindow:
    id: int
    match: str
    starts: float
    ends: float
    reason: str


def open_window(
    store: HistoryStore, match: str, seconds: float, reason: str, now: float | None = None
) -> AdHocWindow:
    """Open a window for targets matching ``match`` from now for ``seconds``."""
    starts = time.time() if now is None else now
    with store.engine.begin() as conn:
        result = conn.execute(
            maintenance.insert().values(
                target=match, starts_at=starts, ends_at=starts + seconds, reason=reason,
                created_at=starts,
            )
        )  # fmt: skip
        key = result.inserted_primary_key
    return AdHocWindow(int(key[0]) if key else 0, match, starts, starts + seconds, reason)


def close_windows(store: HistoryStore, match: str, now: float | None = None) -> int:
    """End the open windows opened for exactly ``match``; returns how many."""
    moment = time.time() if now is None else now
    with store.engine.begin() as conn:
        result = conn.execute(
            maintenance.update()
            .where(maintenance.c.target == match, maintenance.c.ends_at > moment)
            .values(ends_at=moment)
        )
    return int(result.rowcount)


def ad_hoc_windows(store: HistoryStore, start: float, end: float) -> list[AdHocWindow]:
    """The ad hoc windows that overlap ``[start, end]``."""
    query = (
        sa.select(maintenance)
        .where(maintenance.c.ends_at >= start, maintenance.c.starts_at <= end)
        .order_by(maintenance.c.starts_at)
    )
    with store.engine.begin() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        AdHocWindow(int(r["id"]), str(r["target"]), float(r["starts_at"]), float(r["ends_at"]),
                    str(r["reason"]))
        for r in rows
    ]  # fmt: skip


class Maintenance:
    """The windows a monitor honours: recurring ones and the ad hoc ones of its history."""

    def __init__(self, recurring: tuple[RecurringWindow, ...] = ()) -> None:
        self.recurring = recurring
        self.ad_hoc: list[AdHocWindow] = []

    def refresh(self, store: HistoryStore, now: float) -> None:
        """Re-read the ad hoc windows (another process may have paused a target)."""
        self.ad_hoc = ad_hoc_windows(store, now, now + 86400 * 365)

    def reason(self, vendor: str, target: str, now: float) -> str | None:
        """The reason of a window open now for this target, or None."""
        for window in self.ad_hoc:
            if window.starts <= now < window.ends and matches(window.match, vendor, target):
                return f"paused: {window.reason}"
        for rec in self.recurring:
            if matches(rec.match, vendor, target) and rec.active(now):
                return f"maintenance: {rec.reason}"
        return None
