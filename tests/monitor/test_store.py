"""The history under concurrency: schema creation by several processes at once on a fresh
database, and concurrent writers that lose no record (SQLite and a real PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from harness.monitor.schema import alert_state, checks, cycles, records
from harness.monitor.store import HistoryStore
from tests.monitor.test_once import rows

ROOT = Path(__file__).resolve().parents[2]


def _writers(url: str, count: int, per_writer: int) -> list[subprocess.CompletedProcess[str]]:
    start = time.time() + 2.0  # every writer imports first, then all begin at once
    writer = [sys.executable, "-m", "tests.monitor._writer", url]
    procs = [
        subprocess.Popen(
            [*writer, f"w{i}", str(per_writer), str(start)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ),
        )
        for i in range(count)
    ]  # fmt: skip
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def test_writers_starting_together_on_a_fresh_database_all_create_it_and_lose_nothing(
    history_url: str,
) -> None:
    done = _writers(history_url, count=3, per_writer=40)
    for proc in done:
        assert proc.returncode == 0 and proc.stdout.strip() == "40", proc.stderr[-2000:]
        assert "Traceback" not in proc.stderr
    saved = rows(history_url, records)
    assert len(saved) == 120
    by_writer = {
        name: sum(1 for c in rows(history_url, checks) if c["reason"] == name)
        for name in ("w0", "w1", "w2")
    }
    assert by_writer == {"w0": 40, "w1": 40, "w2": 40}  # each record with its check row
    assert len(rows(history_url, cycles)) == 3
    states = rows(history_url, alert_state)
    assert sorted(s["target_key"] for s in states) == [f"itrp|shared {i}" for i in range(5)]


def test_opening_a_history_twice_changes_nothing_and_adds_missing_columns(
    history_url: str,
) -> None:
    HistoryStore(history_url).close()
    engine = sa.create_engine(history_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:  # a history written by an older harness
            conn.execute(sa.text("ALTER TABLE monitor_records DROP COLUMN maintenance"))
    finally:
        engine.dispose()
    HistoryStore(history_url).close()
    engine = sa.create_engine(history_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("monitor_records")}
    finally:
        engine.dispose()
    assert "maintenance" in columns
