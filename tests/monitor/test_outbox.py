"""Alerts go out exactly once: two monitors on one history (SQLite and a real PostgreSQL)
through 15 state changes, and a monitor killed while delivering does not re-send."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness.monitor.alerts import AlertChannels
from harness.monitor.options import MonitorOptions
from harness.monitor.outbox import ABANDONED_AFTER, Outbox
from harness.monitor.schema import alerts, records
from harness.monitor.service import Monitor
from harness.monitor.store import HistoryStore
from tests.monitor.conftest import Emulators, Receiver
from tests.monitor.test_once import FAULT, rows
from tests.monitor.test_service import ROOT, wait_for

CHANGES = 15


def test_two_monitors_on_one_history_deliver_each_of_15_alerts_exactly_once(
    history_url: str, emulators: Emulators, receiver: Receiver
) -> None:
    emu, path = emulators.start("itrp")
    options = MonitorOptions(
        target_files=[path], db=history_url, channels=AlertChannels(webhook=receiver.url)
    )
    first, second = Monitor(options), Monitor(options)
    opened = [threading.Thread(target=m.start) for m in (first, second)]  # a fresh database
    for thread in opened:
        thread.start()
    for thread in opened:
        thread.join()
    try:
        for step in range(CHANGES + 1):  # healthy, failing, healthy, ... : 15 changes
            faulted = step % 2 == 1
            emu.ctx.faults.set(
                enable=[FAULT] if faulted else [], disable=[] if faulted else [FAULT]
            )
            barrier = threading.Barrier(2)

            def cycle(monitor: Monitor, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                monitor.run_cycle()

            both = [threading.Thread(target=cycle, args=(m,)) for m in (first, second)]
            for thread in both:
                thread.start()
            for thread in both:
                thread.join()
    finally:
        first.close()
        second.close()
    events = [b["event"] for b in receiver.bodies]
    assert events == ["failing", "recovered"] * 7 + ["failing"]
    assert len({b["idempotency_key"] for b in receiver.bodies}) == CHANGES
    outbox = rows(history_url, alerts)
    assert len(outbox) == CHANGES and {a["state"] for a in outbox} == {"sent"}
    assert len(rows(history_url, records)) == 2 * (CHANGES + 1)  # both monitors, every cycle


def test_a_monitor_killed_while_delivering_does_not_resend_after_restart(
    emulators: Emulators, tmp_path: Path
) -> None:
    _, path = emulators.start("itrp", FAULT)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    sent = tmp_path / "sent.log"
    # The alert command notes each delivery, then hangs: the monitor is killed meanwhile.
    script = (
        "import sys, time, pathlib; p = pathlib.Path(sys.argv[1]); "
        "p.open('a').write(sys.stdin.read()[:40] + '\\n'); time.sleep(float(sys.argv[2]))"
    )

    def monitor(hang: float) -> subprocess.Popen[bytes]:
        command = shlex.join([sys.executable, "-c", script, str(sent), str(hang)])
        argv = ["--once", "--target-file", str(path), "--db", url, "--alert-command", command]
        return subprocess.Popen(
            [sys.executable, "-m", "harness._cli_monitor", "monitor", *argv],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=dict(os.environ), start_new_session=True,
        )  # fmt: skip

    proc = monitor(hang=60)
    try:
        wait_for(lambda: sent.is_file() and sent.read_text().count("\n") >= 1, "the delivery", proc)
        os.killpg(proc.pid, signal.SIGKILL)  # the monitor and its alert command
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stdout is not None:
            proc.stdout.close()
    (claimed,) = rows(url, alerts)
    assert claimed["state"] == "sending"  # recorded before it was sent
    again = monitor(hang=0)
    out, _ = again.communicate(timeout=120)
    assert again.returncode == 1, out.decode()
    assert sent.read_text().count("\n") == 1  # not sent a second time
    (alert,) = rows(url, alerts)
    assert alert["id"] == claimed["id"] and alert["state"] == "sending"
    assert len(rows(url, records)) == 2
    # Long after, the abandoned claim is written off as "unknown": still never re-sent.
    store = HistoryStore(url)
    try:
        with store.engine.begin() as conn:
            old = time.time() - ABANDONED_AFTER - 1
            conn.execute(alerts.update().values(claimed_at=old))
        assert Outbox(store).claim(("command",), due_before=time.time()) == []
    finally:
        store.close()
    (alert,) = rows(url, alerts)
    assert alert["state"] == "unknown" and sent.read_text().count("\n") == 1
