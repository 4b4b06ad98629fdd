"""Reading the history back: availability, latency and findings over time, per target.

- **availability**: the share of records in which the target answered (status other than
  ``unreachable``); **healthy**: the share of ``healthy`` records;
- **p50 / p95 latency**: the median of the records' median response times, and the 95th
  percentile of the records' 95th percentiles (milliseconds);
- **findings**: per clause, in how many records it was broken, first and last seen;
- **maintenance windows**: the ad hoc windows (``harness monitor pause``) that match the
  target, and the spans of records taken in a window (recurring ones included), merged;
- **gaps**: periods in which a monitor could not write to the database.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from harness.monitor.maintenance import ad_hoc_windows, matches
from harness.monitor.schema import findings, gaps, records
from harness.monitor.status import STATUSES, percentile
from harness.monitor.store import HistoryStore

__all__ = [
    "ClauseSeen",
    "Gap",
    "Point",
    "TargetHistory",
    "Window",
    "as_json",
    "load_gaps",
    "load_history",
    "table_rows",
]


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Point:
    """One record, as a point of the trend."""

    at: float
    status: str
    p50_ms: float | None
    p95_ms: float | None
    findings: int
    requests: int
    conformance: float | None
    finished: float = 0.0
    maintenance: str | None = None
    attempts: int = 1


@dataclass(frozen=True)
class Window:
    """A maintenance window as the history shows it."""

    start: float
    end: float
    reason: str

    def describe(self) -> str:
        return f"{iso(self.start)} to {iso(self.end)}: {self.reason}"


@dataclass(frozen=True)
class Gap:
    """A period in which a monitor could not write to the history."""

    start: float
    end: float
    reason: str
    records_kept: int


@dataclass
class ClauseSeen:
    severity: str
    records: int
    first: float
    last: float


@dataclass
class TargetHistory:
    vendor: str
    target: str
    points: list[Point] = field(default_factory=list)
    clauses: dict[str, ClauseSeen] = field(default_factory=dict)
    windows: list[Window] = field(default_factory=list)

    @property
    def in_maintenance(self) -> int:
        return sum(p.maintenance is not None for p in self.points)

    @property
    def availability(self) -> float | None:
        return _share(p.status != "unreachable" for p in self.points)

    @property
    def healthy(self) -> float | None:
        return _share(p.status == "healthy" for p in self.points)

    @property
    def p50_ms(self) -> float | None:
        return percentile([p.p50_ms for p in self.points if p.p50_ms is not None], 50)

    @property
    def p95_ms(self) -> float | None:
        return percentile([p.p95_ms for p in self.points if p.p95_ms is not None], 95)

    @property
    def statuses(self) -> dict[str, int]:
        return {s: sum(p.status == s for p in self.points) for s in STATUSES}

    @property
    def last_status(self) -> str:
        return self.points[-1].status if self.points else "-"


def _share(flags: Iterable[bool]) -> float | None:
    values = list(flags)
    return sum(values) / len(values) if values else None


def load_history(
    store: HistoryStore, since: float, vendor: str | None = None, now: float | None = None
) -> list[TargetHistory]:
    """Every record of the last ``since`` seconds (of one vendor), grouped per target."""
    start = (now or time.time()) - since
    where = [records.c.started_at >= start]
    if vendor:
        where.append(records.c.vendor == vendor)
    query = sa.select(records).where(*where).order_by(records.c.started_at, records.c.id)
    seen = (
        sa.select(
            records.c.id,
            records.c.vendor,
            records.c.target,
            records.c.started_at,
            findings.c.clause,
            findings.c.severity,
        )
        .join(findings, findings.c.record_id == records.c.id)
        .where(*where)
        .order_by(records.c.started_at)
    )
    out: dict[tuple[str, str], TargetHistory] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            key = (str(row["vendor"]), str(row["target"]))
            history = out.setdefault(key, TargetHistory(*key))
            history.points.append(
                Point(
                    at=float(row["started_at"]),
                    status=str(row["status"]),
                    p50_ms=row["p50_ms"],
                    p95_ms=row["p95_ms"],
                    findings=int(row["findings_total"]),
                    requests=int(row["requests"]),
                    conformance=row["conformance"],
                    finished=float(row["finished_at"]),
                    maintenance=row["maintenance"],
                    attempts=int(row["attempts"] or 1),
                )
            )
        counted: set[tuple[int, str]] = set()
        for row in conn.execute(seen).mappings():
            history = out[(str(row["vendor"]), str(row["target"]))]
            clause, at = str(row["clause"]), float(row["started_at"])
            if (int(row["id"]), clause) in counted:
                continue  # one clause broken by several checks counts once per record
            counted.add((int(row["id"]), clause))
            entry = history.clauses.get(clause)
            if entry is None:
                history.clauses[clause] = ClauseSeen(str(row["severity"]), 1, at, at)
            else:
                entry.records += 1
                entry.last = max(entry.last, at)
    paused = ad_hoc_windows(store, start, float("inf"))
    for history in out.values():
        history.windows = _windows(history, paused)
    return sorted(out.values(), key=lambda h: (h.vendor, h.target))


def _windows(history: TargetHistory, paused: list[Any]) -> list[Window]:
    """Ad hoc windows of this target, and spans of records taken in a window."""
    found = [
        Window(w.starts, w.ends, f"paused: {w.reason}")
        for w in paused
        if matches(w.match, history.vendor, history.target)
    ]
    run: Window | None = None  # consecutive records taken in one recurring window
    for point in history.points:
        reason = point.maintenance
        if reason is None or reason.startswith("paused: "):
            run = None  # an ad hoc window is listed whole above
            continue
        if run is not None and run.reason == reason:
            found[-1] = run = Window(run.start, max(run.end, point.finished), reason)
        else:
            run = Window(point.at, max(point.at, point.finished), reason)
            found.append(run)
    return sorted(found, key=lambda w: w.start)


def load_gaps(store: HistoryStore, since: float, now: float | None = None) -> list[Gap]:
    """The outages of the history database in the last ``since`` seconds."""
    start = (now or time.time()) - since
    query = sa.select(gaps).where(gaps.c.ended_at >= start).order_by(gaps.c.started_at)
    with store.engine.begin() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        Gap(float(r["started_at"]), float(r["ended_at"]), str(r["reason"]), int(r["records_kept"]))
        for r in rows
    ]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table_rows(histories: list[TargetHistory]) -> list[tuple[str, ...]]:
    """One row per target: what ``harness history`` prints as a table."""
    rows: list[tuple[str, ...]] = [
        (
            "vendor",
            "target",
            "records",
            "available",
            "healthy",
            "p50 ms",
            "p95 ms",
            "last",
            "in maintenance",
            "clauses broken",
        )
    ]
    for h in histories:
        broken = ", ".join(f"{c}({s.records})" for c, s in sorted(h.clauses.items())) or "-"
        rows.append(
            (
                h.vendor,
                h.target,
                str(len(h.points)),
                _pct(h.availability),
                _pct(h.healthy),
                _ms(h.p50_ms),
                _ms(h.p95_ms),
                h.last_status,
                str(h.in_maintenance),
                broken,
            )
        )
    return rows


def as_json(
    histories: list[TargetHistory], since: float, outages: list[Gap] | None = None
) -> dict[str, Any]:
    """The history as data (``harness history --format json``)."""
    return {
        "since_seconds": since,
        "gaps": [
            {
                "from": iso(g.start),
                "to": iso(g.end),
                "reason": g.reason,
                "records_kept": g.records_kept,
            }
            for g in outages or []
        ],
        "targets": [
            {
                "vendor": h.vendor,
                "target": h.target,
                "records": len(h.points),
                "availability": h.availability,
                "healthy": h.healthy,
                "p50_ms": h.p50_ms,
                "p95_ms": h.p95_ms,
                "statuses": h.statuses,
                "last_status": h.last_status,
                "in_maintenance": h.in_maintenance,
                "maintenance": [
                    {"from": iso(w.start), "to": iso(w.end), "reason": w.reason} for w in h.windows
                ],
                "clauses": {
                    c: {
                        "severity": s.severity,
                        "records": s.records,
                        "first_seen": iso(s.first),
                        "last_seen": iso(s.last),
                    }
                    for c, s in sorted(h.clauses.items())
                },
                "series": [
                    {
                        "at": iso(p.at),
                        "status": p.status,
                        "p50_ms": p.p50_ms,
                        "p95_ms": p.p95_ms,
                        "findings": p.findings,
                        "requests": p.requests,
                        "conformance": p.conformance,
                        "maintenance": p.maintenance,
                        "attempts": p.attempts,
                    }
                    for p in h.points
                ],
            }
            for h in histories
        ],
    }
