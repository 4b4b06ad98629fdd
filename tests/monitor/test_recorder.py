"""A database outage does not stop ``monitor --interval``: it keeps checking, keeps the
records in memory, writes them when the database is back, and records the gap."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from harness.monitor.schema import gaps, records
from tests.monitor.conftest import Emulators, run_monitor
from tests.monitor.postgres import PostgresServer
from tests.monitor.test_once import rows
from tests.monitor.test_service import count, monitor_process, wait_for


def test_an_interval_monitor_survives_a_postgresql_restart_and_loses_no_record(
    postgres: PostgresServer,
    pg_url: str,
    emulators: Emulators,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, path = emulators.start("toptickets")
    argv = ("--interval", "0.5s", "--target-file", path, "--db", pg_url)
    with monitor_process(*argv) as proc:
        wait_for(lambda: count(pg_url, records) >= 2, "two records", proc)
        postgres.stop()
        time.sleep(3)  # cycles go on meanwhile: their records wait in memory
        postgres.start()
        before = count(pg_url, records)
        wait_for(lambda: count(pg_url, records) >= before + 3, "records after the restart", proc)
        wait_for(lambda: count(pg_url, gaps) >= 1, "the gap to be recorded", proc)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        output = proc.stdout.read().decode() if proc.stdout else ""
    printed = [line for line in output.splitlines() if line.startswith("toptickets ")]
    saved = rows(pg_url, records)
    assert len(saved) == len(printed)  # every record the monitor reported is in the history
    (gap,) = rows(pg_url, gaps)
    assert gap["records_kept"] >= 1 and gap["ended_at"] > gap["started_at"]
    assert "history database is unavailable" in output and "is back" in output
    during = [r for r in saved if gap["started_at"] <= r["started_at"] <= gap["ended_at"]]
    assert during, "the records taken during the outage were kept and written"
    assert "Traceback" not in output
    assert run_monitor("history", "--db", pg_url) == 0
    shown = capsys.readouterr().out
    assert "gap: " in shown and "history database unavailable" in shown
