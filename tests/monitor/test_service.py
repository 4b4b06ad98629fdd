"""`harness monitor --interval` as a service: alerts on state change only, a clean stop on
SIGTERM, and no partial record when killed mid-cycle."""

from __future__ import annotations

import base64
import os
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from harness.emulators import RunningEmulator, vendor_module
from harness.monitor.schema import alerts, checks, cycles, findings, records
from tests.monitor.conftest import Emulators, Receiver
from tests.monitor.test_once import CLAUSE, FAULT, rows

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def monitor_process(*argv: str | Path) -> Iterator[subprocess.Popen[bytes]]:
    """``harness monitor ...`` in a child process (killed at the end if still running)."""
    command = [sys.executable, "-m", "harness._cli_monitor", "monitor", *map(str, argv)]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ)
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def wait_for(condition: Callable[[], bool], what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while not condition():
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"the monitor exited ({proc.returncode}) before {what}:\n{out}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def count(url: str, table: sa.Table) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        return 0  # the monitor has not created its tables yet (or the database is down)
    finally:
        engine.dispose()


def set_faults(emu: RunningEmulator, **change: list[str]) -> None:
    with httpx.Client(verify=ssl.create_default_context(cafile=str(emu.tls.ca))) as http:
        http.post(f"{emu.origin}/__emulator__/faults", json=change).raise_for_status()


def test_an_interval_monitor_alerts_once_on_failing_and_once_on_recovery(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    emu, path = emulators.start("itrp", FAULT)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    argv = ("--interval", "1s", "--target-file", path, "--db", url)
    with monitor_process(*argv, "--alert-webhook", receiver.url) as proc:
        wait_for(lambda: len(receiver.bodies) >= 1, "the failing alert", proc)
        failing_records = count(url, records)
        set_faults(emu, disable=[FAULT])
        wait_for(lambda: len(receiver.bodies) >= 2, "the recovery alert", proc)
        recovered_at = count(url, records)
        wait_for(lambda: count(url, records) >= recovered_at + 2, "two more cycles", proc)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert [b["event"] for b in receiver.bodies] == ["failing", "recovered"]
    failing, recovered = receiver.bodies
    assert failing["status"] == "failing" and failing["clauses"] == [CLAUSE]
    assert CLAUSE in failing["text"] and failing["previous_status"] is None
    assert recovered["status"] == "healthy" and recovered["previous_status"] == "failing"
    assert failing_records >= 1
    statuses = [r["status"] for r in rows(url, records)]
    assert statuses[0] == "failing" and statuses[-1] == "healthy"
    assert {a["state"] for a in rows(url, alerts)} == {"sent"} and count(url, alerts) == 2
    secrets = [v for v in vendor_module("itrp").credentials().values()]
    encoded = [base64.b64encode(s.encode()[: len(s) // 3 * 3]).decode() for s in secrets]
    for raw in receiver.raw:
        text = raw.decode()
        assert not [s for s in secrets + encoded if s in text]
        assert "XXXXSECRET" not in text  # nor the webhook's own secret path


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_monitor_stopped_mid_cycle_keeps_every_completed_record_and_no_partial_one(
    emulators: Emulators, tmp_path: Path, sig: signal.Signals
) -> None:
    fast, fast_path = emulators.start("itrp", FAULT)
    # Without the emulator's clock, the throttle waits in real time: trackops allows one
    # request per second, the monitor uses half of that, so its cycle takes about a minute.
    slow, slow_path = emulators.start(
        "trackops", allow={"writes": False, "exhaustion": False, "clock_control": False}
    )
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    argv = ("--interval", "1s", "--target-file", fast_path, "--target-file", slow_path)
    with monitor_process(*argv, "--db", url) as proc:
        wait_for(lambda: count(url, records) >= 1, "the first record", proc)
        wait_for(lambda: slow.ctx.stats.requests >= 3, "the trackops probe to be under way", proc)
        proc.send_signal(sig)
        stopped = time.monotonic()
        code = proc.wait(timeout=10)
    # SIGTERM: the probe in flight is discarded at once (even mid-throttle), exit 0.
    assert code == (0 if sig == signal.SIGTERM else -signal.SIGKILL)
    assert time.monotonic() - stopped < 5
    saved = rows(url, records)
    # itrp goes on cycling while trackops is busy (a slow target delays no other one);
    # trackops was in flight: none of it is written.
    assert saved and {r["vendor"] for r in saved} == {"itrp"}, "a record in flight was written"
    check_rows, finding_rows = rows(url, checks), rows(url, findings)
    for record in saved:
        mine = [c for c in check_rows if c["record_id"] == record["id"]]
        found = [f for f in finding_rows if f["record_id"] == record["id"]]
        assert len(mine) == record["checks_total"] > 0
        assert len(found) == record["findings_total"] > 0
        assert {f["clause"] for f in found} == {CLAUSE}
    assert {c["record_id"] for c in check_rows} <= {r["id"] for r in saved}
    first = min(rows(url, cycles), key=lambda c: c["id"])
    assert first["finished_at"] is None  # the interrupted cycle never claimed to be complete
    assert fast.ctx.stats.requests > 0
