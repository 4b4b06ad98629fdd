"""The monitor's history: SQLAlchemy Core, SQLite by default, any SQLAlchemy URL works.

Tables (prefixed ``monitor_``): ``cycles`` (one per cycle), ``records`` (one per cycle
and target: status, latency, requests), ``checks`` and ``findings`` (rows of a record),
``alert_state`` (the last alerted group per target: de-duplication that survives a
restart) and ``alerts`` (an outbox: one row per alert and channel, pending until
delivered).

A record, its checks and findings, the alert state and any alert it triggers are written
in **one transaction**: a monitor killed at any point leaves the whole record or none of it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from harness.errors import HarnessError
from harness.monitor.status import VendorRecord, alert_group

__all__ = ["DEFAULT_DB", "HistoryStore", "PendingAlert", "Transition"]

DEFAULT_DB = "sqlite:///reports/history.sqlite"
MAX_ATTEMPTS = 5

metadata = sa.MetaData()
cycles = sa.Table(
    "monitor_cycles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("finished_at", sa.Float),
    sa.Column("mode", sa.String(16), nullable=False),
)
records = sa.Table(
    "monitor_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("cycle_id", sa.Integer, sa.ForeignKey("monitor_cycles.id"), nullable=False),
    sa.Column("vendor", sa.String(64), nullable=False, index=True),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", sa.Float, nullable=False, index=True),
    sa.Column("finished_at", sa.Float, nullable=False),
    sa.Column("requests", sa.Integer, nullable=False),
    sa.Column("budget", sa.Integer, nullable=False),
    sa.Column("p50_ms", sa.Float),
    sa.Column("p95_ms", sa.Float),
    sa.Column("conformance", sa.Float),
    sa.Column("checks_total", sa.Integer, nullable=False),
    sa.Column("findings_total", sa.Integer, nullable=False),
    sa.Column("errors", sa.Text, nullable=False),
)
checks = sa.Table(
    "monitor_checks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.Integer, sa.ForeignKey("monitor_records.id"), nullable=False),
    sa.Column("check_name", sa.String(120), nullable=False),
    sa.Column("operation", sa.String(120), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("clauses", sa.Text, nullable=False),
    sa.Column("requests", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)
findings = sa.Table(
    "monitor_findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.Integer, sa.ForeignKey("monitor_records.id"), nullable=False),
    sa.Column("clause", sa.String(120), nullable=False, index=True),
    sa.Column("check_name", sa.String(120), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("operation", sa.String(120), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
)
alert_state = sa.Table(
    "monitor_alert_state",
    metadata,
    sa.Column("target_key", sa.String(300), primary_key=True),
    sa.Column("grp", sa.String(8), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("changed_at", sa.Float, nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
)
alerts = sa.Table(
    "monitor_alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target_key", sa.String(300), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # pending, sent, failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text, nullable=False, default=""),
)


@dataclass(frozen=True)
class Transition:
    """A change of alert group for one target: ok -> down ("failing") or back ("recovered")."""

    kind: str
    previous: str  # the previous status ("" when the target was never seen)
    record_id: int


@dataclass(frozen=True)
class PendingAlert:
    id: int
    channel: str
    payload: dict[str, Any]


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise HarnessError("the history database returned no id for a new row")
    return int(key[0])


def target_key(record: VendorRecord) -> str:
    return f"{record.vendor}|{record.target}"


class HistoryStore:
    """Reads and writes the monitor history at a SQLAlchemy URL."""

    def __init__(self, url: str = DEFAULT_DB) -> None:
        try:
            parsed = make_url(url)
        except sa.exc.ArgumentError as exc:
            raise HarnessError(f"--db {url!r}: not a database URL ({exc})") from exc
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = sa.create_engine(parsed)
            metadata.create_all(self.engine)
        except (sa.exc.SQLAlchemyError, ImportError) as exc:
            safe = parsed.render_as_string(hide_password=True)
            raise HarnessError(f"cannot open the history database {safe}: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def start_cycle(self, mode: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(cycles.insert().values(started_at=time.time(), mode=mode))
            return _new_id(result)

    def finish_cycle(self, cycle_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                cycles.update().where(cycles.c.id == cycle_id).values(finished_at=time.time())
            )

    def save(
        self,
        cycle_id: int,
        record: VendorRecord,
        channels: tuple[str, ...] = (),
        payload: Callable[[Transition], dict[str, Any]] | None = None,
    ) -> tuple[int, Transition | None]:
        """Write one record (and the alert it triggers, per channel) in one transaction."""
        with self.engine.begin() as conn:
            record_id = self._insert_record(conn, cycle_id, record)
            transition = self._transition(conn, record, record_id)
            if transition is not None and payload is not None:
                body = json.dumps(payload(transition), sort_keys=True)
                for channel in channels:
                    conn.execute(
                        alerts.insert().values(
                            target_key=target_key(record),
                            record_id=record_id,
                            kind=transition.kind,
                            channel=channel,
                            created_at=time.time(),
                            payload=body,
                            state="pending",
                        )
                    )
        return record_id, transition

    def _insert_record(self, conn: Connection, cycle_id: int, record: VendorRecord) -> int:
        result = conn.execute(
            records.insert().values(
                cycle_id=cycle_id,
                vendor=record.vendor,
                target=record.target,
                mode=record.mode,
                status=record.status,
                started_at=record.started,
                finished_at=record.finished,
                requests=record.requests,
                budget=record.budget,
                p50_ms=record.p50_ms,
                p95_ms=record.p95_ms,
                conformance=record.conformance,
                checks_total=len(record.checks),
                findings_total=len(record.findings),
                errors=json.dumps(list(record.errors)),
            )
        )
        record_id = _new_id(result)
        if record.checks:
            conn.execute(
                checks.insert(),
                [
                    {
                        "record_id": record_id,
                        "check_name": c.check,
                        "operation": c.operation,
                        "outcome": c.outcome,
                        "clauses": " ".join(c.clauses),
                        "requests": c.requests,
                        "seconds": c.seconds,
                        "reason": c.reason,
                    }
                    for c in record.checks
                ],
            )
        if record.findings:
            conn.execute(
                findings.insert(),
                [
                    {
                        "record_id": record_id,
                        "clause": f.clause,
                        "check_name": f.check,
                        "severity": f.severity,
                        "operation": f.operation,
                        "title": f.title,
                        "message": f.message,
                    }
                    for f in record.findings
                ],
            )
        return record_id

    def _transition(
        self, conn: Connection, record: VendorRecord, record_id: int
    ) -> Transition | None:
        key = target_key(record)
        query = sa.select(alert_state).where(alert_state.c.target_key == key).with_for_update()
        row = conn.execute(query).mappings().first()
        group = alert_group(record.status)
        values = {"grp": group, "status": record.status, "record_id": record_id}
        if row is None:
            now = time.time()
            conn.execute(alert_state.insert().values(target_key=key, changed_at=now, **values))
            return Transition("failing", "", record_id) if group == "down" else None
        if row["grp"] == group:
            if row["status"] != record.status:  # e.g. healthy -> degraded: no alert
                conn.execute(
                    alert_state.update().where(alert_state.c.target_key == key).values(**values)
                )
            return None
        conn.execute(
            alert_state.update()
            .where(alert_state.c.target_key == key)
            .values(changed_at=time.time(), **values)
        )
        kind = "failing" if group == "down" else "recovered"
        return Transition(kind, str(row["status"]), record_id)

    def pending_alerts(self) -> list[PendingAlert]:
        query = sa.select(alerts).where(alerts.c.state == "pending").order_by(alerts.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            PendingAlert(int(r["id"]), str(r["channel"]), json.loads(r["payload"])) for r in rows
        ]

    def mark_alert(self, alert_id: int, error: str | None) -> None:
        """Record a delivery: sent, or one more failed attempt (given up after a few)."""
        with self.engine.begin() as conn:
            if error is None:
                conn.execute(alerts.update().where(alerts.c.id == alert_id).values(state="sent"))
                return
            row = conn.execute(sa.select(alerts.c.attempts).where(alerts.c.id == alert_id)).one()
            attempts = int(row[0]) + 1
            state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            conn.execute(
                alerts.update()
                .where(alerts.c.id == alert_id)
                .values(attempts=attempts, state=state, last_error=error[:2000])
            )
