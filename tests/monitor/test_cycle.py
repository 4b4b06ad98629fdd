"""One target's cycle under its policy: re-checks before a failing cycle counts, a fresh
session after an outage, and targets side by side (a slow or dead one delays no other)."""

from __future__ import annotations

import socket
import threading
import tomllib
from pathlib import Path

import tomli_w

from harness.monitor.schema import alerts, records
from tests.monitor.conftest import Emulators, FlakyProxy, Receiver, retarget, run_monitor
from tests.monitor.test_once import rows


def _flaky_target(emulators: Emulators, drop: int) -> tuple[FlakyProxy, Path]:
    """itrp behind a relay that hangs up on the first ``drop`` connections."""
    emu, path = emulators.start("itrp")
    proxy = FlakyProxy(emu.port, drop)
    retarget(path, proxy.port)
    return proxy, path


def test_a_target_that_fails_once_then_recovers_raises_no_alert_with_two_retries(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    proxy, path = _flaky_target(emulators, drop=1)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    argv = ("--target-file", path, "--db", url, "--alert-webhook", receiver.url)
    try:
        code = run_monitor("monitor", "--once", *argv, "--retries", "2", "--retry-delay", "0.2s")
    finally:
        proxy.close()
    assert code == 0 and receiver.bodies == []
    (saved,) = rows(url, records)
    assert saved["status"] == "healthy" and saved["attempts"] == 2
    assert "unreachable at first, healthy on re-check 1" in saved["notes"]
    assert rows(url, alerts) == []


def test_without_retries_the_same_blip_pages_someone(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    proxy, path = _flaky_target(emulators, drop=1)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    try:
        code = run_monitor(
            "monitor", "--once", "--target-file", path, "--db", url, "--alert-webhook", receiver.url
        )
        assert code == 2 and [b["event"] for b in receiver.bodies] == ["failing"]
        # The next cycle opens a fresh session: the target is seen again, and recovers.
        code = run_monitor(
            "monitor", "--once", "--target-file", path, "--db", url, "--alert-webhook", receiver.url
        )
    finally:
        proxy.close()
    assert code == 0 and [b["event"] for b in receiver.bodies] == ["failing", "recovered"]


def test_a_failure_confirmed_by_every_retry_alerts_once_with_the_count(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    proxy, path = _flaky_target(emulators, drop=100)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    argv = ("--target-file", path, "--db", url, "--alert-webhook", receiver.url)
    try:
        code = run_monitor("monitor", "--once", *argv, "--retries", "2", "--retry-delay", "0.1s")
    finally:
        proxy.close()
    assert code == 2
    (saved,) = rows(url, records)
    assert saved["status"] == "unreachable" and saved["attempts"] == 3
    (alert,) = receiver.bodies
    assert alert["attempts"] == 3 and "confirmed by 2 re-check(s)" in alert["notes"][0]


def _silent_server() -> socket.socket:
    """Accepts connections and never answers (a dead target that times out)."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return server


def test_a_slow_and_a_dead_target_do_not_delay_a_fast_one(
    emulators: Emulators, tmp_path: Path
) -> None:
    _, fast = emulators.start("toptickets")
    slow_emu, slow = emulators.start("turitop")
    slow_emu.ctx.options["latency_seconds"] = 0.4  # every response 0.4 s late
    _, dead = emulators.start("trackops")
    silent = _silent_server()
    retarget(dead, silent.getsockname()[1])
    data = tomllib.loads(dead.read_text(encoding="utf-8"))
    data["transport"] = {"timeout_seconds": 2}
    data["allow"]["clock_control"] = False  # the silent server has no clock to control
    dead.write_text(tomli_w.dumps(data), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    files = [a for p in (slow, dead, fast) for a in ("--target-file", p)]  # fast listed last
    try:
        assert run_monitor("monitor", "--once", *files, "--db", url) == 2
    finally:
        silent.close()
    saved = {r["vendor"]: r for r in rows(url, records)}
    assert saved["trackops"]["status"] == "unreachable"
    assert saved["turitop"]["p50_ms"] >= 400
    # Written as each target finished: the fast one first, although it was listed last.
    assert saved["toptickets"]["id"] == min(r["id"] for r in saved.values())
    assert saved["toptickets"]["finished_at"] < saved["turitop"]["finished_at"]
    assert saved["toptickets"]["finished_at"] < saved["trackops"]["finished_at"]
