"""The outbox of alerts: claimed atomically, recorded before they are sent, sent at most once.

Every alert is a row per channel, written with the record that triggered it. To send,
a monitor **claims** due rows with one conditional ``UPDATE ... WHERE state = 'pending'``
(its own claim token), which two monitors on one database cannot both win; a claimed row
is ``sending`` *before* anything is sent. After sending it becomes ``sent``; a delivery
that certainly did not arrive (connection refused, the receiver answered an error, the
command exited non-zero) goes back to ``pending`` for the next pass, up to
:data:`MAX_ATTEMPTS`. A row still ``sending`` long after its claim belongs to a monitor
that died mid-delivery: it becomes ``unknown`` and is never sent again (each payload
also carries an ``idempotency_key`` for receivers that want to drop a duplicate).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from harness.monitor.schema import alerts
from harness.monitor.store import HistoryStore

__all__ = ["ABANDONED_AFTER", "MAX_ATTEMPTS", "Outbox", "PendingAlert"]

MAX_ATTEMPTS = 5
ABANDONED_AFTER = 600.0  # seconds a claim may stay unresolved before it counts as lost


@dataclass(frozen=True)
class PendingAlert:
    id: int
    channel: str
    vendor: str
    kind: str
    payload: dict[str, Any]


class Outbox:
    """Claims and settles the alerts of one history."""

    def __init__(self, store: HistoryStore) -> None:
        self.store = store

    def claim(self, channels: tuple[str, ...], due_before: float) -> list[PendingAlert]:
        """Take the pending alerts of these channels created before ``due_before``; no
        other monitor gets them."""
        if not channels:
            return []
        token = uuid.uuid4().hex
        now = time.time()
        with self.store.engine.begin() as conn:
            conn.execute(
                alerts.update()
                .where(alerts.c.state == "sending", alerts.c.claimed_at < now - ABANDONED_AFTER)
                .values(state="unknown", last_error="the monitor that claimed it stopped")
            )
            conn.execute(
                alerts.update()
                .where(
                    alerts.c.state == "pending",
                    alerts.c.channel.in_(channels),
                    alerts.c.created_at <= due_before,
                )
                .values(state="sending", claim=token, claimed_at=now)
            )
            query = sa.select(alerts).where(alerts.c.claim == token).order_by(alerts.c.id)
            rows = conn.execute(query).mappings().all()
        return [
            PendingAlert(
                id=int(r["id"]),
                channel=str(r["channel"]),
                vendor=str(r["vendor"] or str(r["target_key"]).split("|")[0]),
                kind=str(r["kind"]),
                payload=json.loads(r["payload"]),
            )
            for r in rows
        ]

    def settle(self, ids: list[int], error: str | None, *, retry: bool = True) -> None:
        """Record the outcome of sending these (claimed) alerts: sent (``error`` None),
        not delivered (``retry``: pending again, failed after a few attempts), or maybe
        delivered (not ``retry``: unknown, never sent again)."""
        if not ids:
            return
        with self.store.engine.begin() as conn:
            mine = alerts.c.id.in_(ids)
            if error is None:
                query = alerts.update().where(mine)
                conn.execute(query.values(state="sent", sent_at=time.time(), last_error=""))
                return
            for row in conn.execute(sa.select(alerts.c.id, alerts.c.attempts).where(mine)):
                attempts = int(row.attempts) + 1
                state = (
                    "unknown" if not retry else "pending" if attempts < MAX_ATTEMPTS else "failed"
                )
                conn.execute(
                    alerts.update()
                    .where(alerts.c.id == row.id)
                    .values(attempts=attempts, state=state, last_error=error[:2000], claim=None)
                )

    def pending(self) -> list[tuple[int, str, str]]:
        """(id, channel, state) of every alert not yet settled (for tests and status)."""
        query = sa.select(alerts.c.id, alerts.c.channel, alerts.c.state).where(
            alerts.c.state.in_(("pending", "sending"))
        )
        with self.store.engine.begin() as conn:
            return [(int(r.id), str(r.channel), str(r.state)) for r in conn.execute(query)]
