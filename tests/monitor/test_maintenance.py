"""Maintenance windows: checks go on, no alert fires, the history shows the window; a
target still down when the window closes alerts then."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harness.monitor.maintenance import RecurringWindow
from harness.monitor.schema import records
from tests.monitor.conftest import Emulators, Receiver, run_monitor
from tests.monitor.test_once import CLAUSE, FAULT, rows

TARGET = "itrp (emulator)"


def test_a_paused_target_fails_without_an_alert_and_the_history_shows_the_window(
    emulators: Emulators, receiver: Receiver, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, path = emulators.start("itrp", FAULT)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    db = ("--db", url)
    assert (
        run_monitor("monitor", "pause", TARGET, "--for", "2h", "--reason", "vendor deploy", *db)
        == 0
    )
    assert "no alert until" in capsys.readouterr().out
    hook = ("--target-file", path, *db, "--alert-webhook", receiver.url)
    assert run_monitor("monitor", "--once", *hook) == 1  # the truth, in the exit code
    assert receiver.bodies == []  # but nobody is paged
    (saved,) = rows(url, records)
    assert saved["status"] == "failing" and saved["maintenance"] == "paused: vendor deploy"
    capsys.readouterr()
    assert run_monitor("history", *db) == 0
    table = capsys.readouterr().out
    assert "in maintenance" in table.splitlines()[0]
    assert f"maintenance: {TARGET}: " in table and "paused: vendor deploy" in table
    assert run_monitor("history", *db, "--format", "json") == 0
    (target,) = json.loads(capsys.readouterr().out)["targets"]
    assert target["in_maintenance"] == 1
    assert [w["reason"] for w in target["maintenance"]] == ["paused: vendor deploy"]
    # The window closes early; the target is still down: now on-call hears of it.
    assert run_monitor("monitor", "resume", TARGET, *db) == 0
    assert run_monitor("monitor", "--once", *hook) == 1
    (alert,) = receiver.bodies
    assert alert["event"] == "failing" and alert["clauses"] == [CLAUSE]


def test_a_recurring_window_from_the_config_file_silences_alerts(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    _, path = emulators.start("itrp", FAULT)
    config = tmp_path / "monitor.toml"
    config.write_text(
        f'targets = ["{path.name}"]\n'
        "[[maintenance]]\n"
        'match = "itrp*"\nstart = "00:00"\nduration = "24h"\nreason = "always, for the test"\n',
        encoding="utf-8",
    )
    (tmp_path / path.name).write_bytes(path.read_bytes())
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    code = run_monitor("monitor", "--config", config, "--db", url, "--alert-webhook", receiver.url)
    assert code == 1 and receiver.bodies == []
    (saved,) = rows(url, records)
    assert saved["maintenance"] == "maintenance: always, for the test"


def _at(text: str, zone: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def test_recurring_windows_follow_weekdays_time_zones_and_midnight() -> None:
    # Saturdays 23:00-01:00 Berlin time (crosses midnight, and a DST-aware zone).
    window = RecurringWindow("turris*", (5,), 23 * 60, 7200, "Europe/Berlin", "weekly")
    assert window.active(_at("2026-06-06T23:30", "Europe/Berlin"))  # Saturday night
    assert window.active(_at("2026-06-07T00:59", "Europe/Berlin"))  # Sunday, still in it
    assert not window.active(_at("2026-06-07T01:00", "Europe/Berlin"))
    assert not window.active(_at("2026-06-05T23:30", "Europe/Berlin"))  # a Friday
    assert not window.active(_at("2026-06-06T23:30", "UTC"))  # 01:30 Sunday in Berlin
