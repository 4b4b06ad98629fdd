"""Fixtures of the monitor tests: emulators with target files, a webhook receiver, the CLI."""

from __future__ import annotations

import json
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from harness._cli_monitor import main as monitor_main
from harness.emulators import RunningEmulator, make_tls, start_emulator
from harness.emulators._server import TLSFiles


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls(tmp_path_factory.mktemp("tls"))


class Emulators:
    """Starts emulators (stopped at teardown) and writes their target files."""

    def __init__(self, tls: TLSFiles, folder: Path) -> None:
        self.tls = tls
        self.folder = folder
        self.running: list[RunningEmulator] = []

    def start(self, vendor: str, *faults: str, **target: Any) -> tuple[RunningEmulator, Path]:
        emu = start_emulator(vendor, tls=self.tls, faults=faults)
        self.running.append(emu)
        path = emu.write_target(self.folder / f"{vendor}-{len(self.running)}.toml")
        if target:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            for key, value in target.items():
                data[key] = value
            path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return emu, path

    def stop(self) -> None:
        for emu in self.running:
            emu.stop()


@pytest.fixture
def emulators(tls: TLSFiles, tmp_path: Path) -> Iterator[Emulators]:
    started = Emulators(tls, tmp_path)
    try:
        yield started
    finally:
        started.stop()


class Receiver:
    """A webhook receiver on 127.0.0.1: keeps every JSON body posted to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        received = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                received.raw.append(body)
                received.bodies.append(json.loads(body))
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/T000/B000/XXXXSECRET"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    try:
        yield hook
    finally:
        hook.close()


def run_monitor(*argv: str | Path) -> int:
    """``harness monitor ...`` in this process (without needing the top-level CLI)."""
    return monitor_main([str(a) for a in argv])
