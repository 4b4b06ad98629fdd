"""The monitor's history: SQLAlchemy Core, SQLite by default, PostgreSQL for a shared one.

A record, its checks and findings, the target's alert state and any alert it triggers
are written in **one transaction**: a monitor killed at any point leaves the whole record
or none of it. The alert state of a target is read under a row lock (PostgreSQL) or the
database's write lock (SQLite, ``BEGIN IMMEDIATE``), so two monitors writing records of
one target decide each state change once. Tables: :mod:`harness.monitor.schema`;
the outbox of alerts: :mod:`harness.monitor.outbox`.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from harness.errors import HarnessError
from harness.monitor.database import describe, open_engine, safe_url
from harness.monitor.defaults import DEFAULT_DB
from harness.monitor.policy import AlertState, Transition, decide
from harness.monitor.schema import (
    alert_state,
    alerts,
    checks,
    cycles,
    ensure_schema,
    findings,
    gaps,
    records,
)
from harness.monitor.status import VendorRecord

__all__ = ["DEFAULT_DB", "Cycle", "HistoryStore", "Saved", "idempotency_key", "target_key"]

OWNER = f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Cycle:
    """One cycle of one monitor process; its row is written with its first record."""

    mode: str
    started: float
    shard: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Saved:
    record_id: int
    transition: Transition | None


Payload = Callable[[Transition], dict[str, Any]]


def target_key(record: VendorRecord) -> str:
    return f"{record.vendor}|{record.target}"


def idempotency_key(key: str, record_id: int, kind: str, channel: str) -> str:
    """Stable per alert and channel: a receiver that sees it twice can drop the second."""
    return hashlib.sha256(f"{key}|{record_id}|{kind}|{channel}".encode()).hexdigest()[:32]


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise HarnessError("the history database returned no id for a new row")
    return int(key[0])


class HistoryStore:
    """Reads and writes the monitor history at a SQLAlchemy URL."""

    def __init__(self, url: str = DEFAULT_DB) -> None:
        self.engine = open_engine(url)
        try:
            ensure_schema(self.engine)
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            raise HarnessError(
                f"--db {safe_url(self.engine.url)}: cannot open the history database "
                f"({describe(exc)}); check that it is running and the URL is right"
            ) from None

    def close(self) -> None:
        self.engine.dispose()

    # -- cycles ------------------------------------------------------------------------
    def _cycle_id(self, conn: Connection, cycle: Cycle) -> int:
        """The cycle's row id, inserting the row with this transaction if it has none
        (``cycle.id`` is set by the caller once the transaction committed)."""
        if cycle.id is not None:
            return cycle.id
        values = {"started_at": cycle.started, "mode": cycle.mode, "shard": cycle.shard}
        return _new_id(conn.execute(cycles.insert().values(owner=OWNER, **values)))

    def finish_cycle(self, cycle: Cycle, finished: float | None = None) -> None:
        with self.engine.begin() as conn:
            cycle_id = self._cycle_id(conn, cycle)
            query = cycles.update().where(cycles.c.id == cycle_id)
            conn.execute(query.values(finished_at=finished or time.time()))
        cycle.id = cycle_id

    # -- records -------------------------------------------------------------------------
    def save(
        self,
        cycle: Cycle,
        record: VendorRecord,
        channels: tuple[str, ...] = (),
        payload: Payload | None = None,
        *,
        reminder: float | None = None,
    ) -> Saved:
        """Write one record (and the alert it triggers, per channel) in one transaction."""
        with self.engine.begin() as conn:
            cycle_id = self._cycle_id(conn, cycle)
            record_id = self._insert_record(conn, cycle_id, record)
            transition = self._transition(conn, record, record_id, reminder)
            if transition is not None and payload is not None:
                body = payload(transition)
                key = target_key(record)
                for channel in channels:
                    ikey = idempotency_key(key, record_id, transition.kind, channel)
                    conn.execute(
                        alerts.insert().values(
                            target_key=key,
                            record_id=record_id,
                            kind=transition.kind,
                            channel=channel,
                            created_at=time.time(),
                            payload=json.dumps({**body, "idempotency_key": ikey}, sort_keys=True),
                            state="pending",
                            attempts=0,
                            last_error="",
                            vendor=record.vendor,
                            idempotency_key=ikey,
                        )
                    )
        cycle.id = cycle_id
        return Saved(record_id, transition)

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
                latencies=json.dumps([round(x, 6) for x in record.latencies]),
                window_p95_ms=record.window_p95_ms,
                attempts=record.attempts,
                notes=json.dumps(list(record.notes)),
                maintenance=record.maintenance,
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

    # -- alert state -----------------------------------------------------------------------
    def _locked_state(self, conn: Connection, key: str) -> AlertState | None:
        query = sa.select(alert_state).where(alert_state.c.target_key == key).with_for_update()
        row = conn.execute(query).mappings().first()
        return None if row is None else _state(row)

    def _transition(
        self, conn: Connection, record: VendorRecord, record_id: int, reminder: float | None
    ) -> Transition | None:
        key = target_key(record)
        previous = self._locked_state(conn, key)
        decision = decide(
            previous,
            record,
            record_id,
            time.time(),
            reminder=reminder,
            in_maintenance=record.maintenance is not None,
        )
        if decision.state is None:
            return None
        values = _values(decision.state)
        if previous is None:
            if self._insert_state(conn, key, values):
                return decision.transition
            # Another monitor wrote this target's first state meanwhile: decide against it.
            return self._transition(conn, record, record_id, reminder)
        conn.execute(alert_state.update().where(alert_state.c.target_key == key).values(**values))
        return decision.transition

    def _insert_state(self, conn: Connection, key: str, values: dict[str, Any]) -> bool:
        """Insert a target's first alert state; False when another writer won the race."""
        dialect = conn.dialect.name
        if dialect in ("postgresql", "sqlite"):
            insert = (postgresql if dialect == "postgresql" else sqlite).insert(alert_state)
            statement = insert.values(target_key=key, **values).on_conflict_do_nothing()
            return bool(conn.execute(statement).rowcount)
        conn.execute(alert_state.insert().values(target_key=key, **values))
        return True

    def alert_states(self) -> dict[str, AlertState]:
        """Every target's alert state, by target key (``vendor|name``)."""
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(alert_state)).mappings().all()
        return {str(r["target_key"]): _state(r) for r in rows}

    def recent_latencies(self, since: float) -> dict[str, list[tuple[float, float]]]:
        """Response times of the records started after ``since``, by target key."""
        query = (
            sa.select(records.c.vendor, records.c.target, records.c.started_at, records.c.latencies)
            .where(records.c.started_at >= since)
            .order_by(records.c.started_at)
        )
        out: dict[str, list[tuple[float, float]]] = {}
        with self.engine.begin() as conn:
            for row in conn.execute(query).mappings():
                values = json.loads(row["latencies"] or "[]")
                samples = out.setdefault(f"{row['vendor']}|{row['target']}", [])
                samples.extend((float(row["started_at"]), float(v)) for v in values)
        return out

    # -- gaps ------------------------------------------------------------------------------
    def record_gap(self, started: float, ended: float, reason: str, kept: int) -> None:
        """A period in which this monitor could not write (and kept ``kept`` records)."""
        with self.engine.begin() as conn:
            conn.execute(
                gaps.insert().values(
                    started_at=started,
                    ended_at=ended,
                    reason=reason[:2000],
                    records_kept=kept,
                    owner=OWNER,
                )
            )


def _state(row: Any) -> AlertState:
    return AlertState(
        group=str(row["grp"]),
        status=str(row["status"]),
        changed_at=float(row["changed_at"]),
        record_id=int(row["record_id"]),
        observed_at=row["observed_at"],
        alerted_at=row["alerted_at"],
    )


def _values(state: AlertState) -> dict[str, Any]:
    return {
        "grp": state.group,
        "status": state.status,
        "changed_at": state.changed_at,
        "record_id": state.record_id,
        "observed_at": state.observed_at,
        "alerted_at": state.alerted_at,
    }
