"""Serving emulators: a reused TLS folder works, stopping takes well under a second even
with an idle keep-alive client, and nothing is left in the temporary folder."""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from harness.emulators import make_tls, start_emulator, stop_emulators, vendor_module
from harness.errors import HarnessError

STOP_BOUND = 1.0  # seconds: a stop the user waits for, not a benchmark


def _idle_client(emu_ca: Path, url: str) -> httpx.Client:
    """A client that made one request and keeps its TLS connection open."""
    client = httpx.Client(verify=ssl.create_default_context(cafile=str(emu_ca)))
    client.get(url)
    return client


def test_a_tls_folder_used_before_serves_again(tmp_path: Path) -> None:
    make_tls(tmp_path)
    tls = make_tls(tmp_path)  # the chain is rewritten, not appended to
    assert tls.cert_chain.read_text().count("BEGIN CERTIFICATE") == 1
    emu = start_emulator("itrp", tls=tls)
    try:
        client = _idle_client(tls.ca, emu.origin + "/__emulator__/clock")
        client.close()
    finally:
        emu.stop()


def test_stopping_with_an_idle_keep_alive_client_is_prompt() -> None:
    running = [start_emulator(v) for v in ("itrp", "turris")]
    clients = [_idle_client(e.tls.ca, e.origin + "/__emulator__/clock") for e in running]
    owned = [e.owned_tls for e in running]
    started = time.monotonic()
    stop_emulators(running)
    seconds = time.monotonic() - started
    for client in clients:
        client.close()
    assert seconds < STOP_BOUND, f"stopping took {seconds:.2f}s"
    assert all(p is not None and not p.exists() for p in owned), owned
    assert not any(e.thread.is_alive() for e in running)


def test_a_port_outside_the_range_is_refused() -> None:
    with pytest.raises(HarnessError, match="port 70000 for the itrp emulator is outside"):
        start_emulator("itrp", port=70000)


def test_harness_emulate_stops_at_once_on_sigterm_and_leaves_no_tls_folder(
    tmp_path: Path,
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    target = tmp_path / "itrp.toml"
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "emulate", "itrp", "--target-file", str(target)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        assert lines[1].startswith("CA: "), lines
        assert any(temp.glob("harness-tls-*")), "the emulator's TLS folder was not in TMPDIR"
        base_url = lines[0].split()[1]
        token = vendor_module("itrp").credentials()["api_token"]
        client = httpx.Client(verify=ssl.create_default_context(cafile=lines[1][4:].strip()))
        assert client.get(base_url + "/me", auth=(token, "x")).status_code == 200
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)
        seconds = time.monotonic() - started
        client.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0, process.stderr.read() if process.stderr else ""
    assert seconds < STOP_BOUND, f"harness emulate took {seconds:.2f}s to stop"
    assert not list(temp.glob("harness-*")), list(temp.iterdir())
