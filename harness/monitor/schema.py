"""The history's tables, and creating them safely from several processes at once.

Tables (prefixed ``monitor_``): ``cycles`` (one per cycle of one monitor process),
``records`` (one per cycle and target: status, latency, requests), ``checks`` and
``findings`` (rows of a record), ``alert_state`` (what on-call was last told about each
target), ``alerts`` (the outbox: one row per alert and channel), ``maintenance`` (windows
opened with ``harness monitor pause``) and ``gaps`` (periods in which the database could
not be written, with how many records were kept in memory meanwhile).

:func:`ensure_schema` is idempotent across processes: on PostgreSQL it holds a
transaction-scoped advisory lock while it creates what is missing; on SQLite the
transaction starts with ``BEGIN IMMEDIATE`` (see :mod:`harness.monitor.database`), which
gives the same exclusion. A history written by an older harness gets the columns it lacks
(all of them nullable).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex, CreateTable

__all__ = [
    "alert_state",
    "alerts",
    "checks",
    "cycles",
    "ensure_schema",
    "findings",
    "gaps",
    "maintenance",
    "metadata",
    "records",
]

metadata = sa.MetaData()
cycles = sa.Table(
    "monitor_cycles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("finished_at", sa.Float),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("shard", sa.String(16)),
    sa.Column("owner", sa.String(120)),
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
    sa.Column("latencies", sa.Text),  # JSON list of seconds per exchange (latency windows)
    sa.Column("window_p95_ms", sa.Float),  # p95 over the target's latency window
    sa.Column("attempts", sa.Integer),  # 1 + the re-checks made before this record
    sa.Column("notes", sa.Text),  # JSON list: latency thresholds crossed, retries
    sa.Column("maintenance", sa.Text),  # the reason of the window it fell in, if any
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
    sa.Column("observed_at", sa.Float),  # start of the newest record taken into account
    sa.Column("alerted_at", sa.Float),  # last alert or reminder sent for this target
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
    # pending -> sending (claimed: recorded before it is sent) -> sent | pending (retry)
    # | failed (gave up) | unknown (its sender died mid-delivery: never sent twice)
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text, nullable=False, default=""),
    sa.Column("vendor", sa.String(64)),
    sa.Column("idempotency_key", sa.String(64)),
    sa.Column("claim", sa.String(64), index=True),
    sa.Column("claimed_at", sa.Float),
    sa.Column("sent_at", sa.Float),
)
maintenance = sa.Table(
    "monitor_maintenance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target", sa.String(300), nullable=False),  # a target name, vendor or glob
    sa.Column("starts_at", sa.Float, nullable=False),
    sa.Column("ends_at", sa.Float, nullable=False, index=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)
gaps = sa.Table(
    "monitor_gaps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("ended_at", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("records_kept", sa.Integer, nullable=False),
    sa.Column("owner", sa.String(120)),
)

# Any constant: the advisory lock that serialises schema creation on PostgreSQL.
_SCHEMA_LOCK = 0x6861726E  # "harn"


def ensure_schema(engine: Engine) -> None:
    """Create the tables, indexes and columns that are missing, once, whoever else tries."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        _create_missing(conn)


def _create_missing(conn: Connection) -> None:
    inspector = sa.inspect(conn)
    existing = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in existing:
            conn.execute(CreateTable(table, if_not_exists=True))
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:  # a history written by an older harness
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
        have_indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in have_indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))
