"""Fixtures of the monitor tests: emulators with target files, a webhook receiver, a
PostgreSQL server, misbehaving servers (flaky, silent), the CLI."""

from __future__ import annotations

import contextlib
import json
import socket
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
from tests.monitor.postgres import PostgresServer, start_server


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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session (started from Debian's binaries)."""
    server = start_server()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return str(postgres.database())


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh history database of each kind (the tests run once per kind)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


class FlakyProxy:
    """A TCP relay to ``port`` on 127.0.0.1 that drops the first ``drop`` connections
    (accepted, then closed at once: the client sees the server hang up), then relays."""

    def __init__(self, port: int, drop: int) -> None:
        self.upstream = port
        self.drop = drop
        self.accepted = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.accepted <= self.drop:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self.listener.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


def retarget(path: Path, port: int) -> None:
    """Point a target file at another port of 127.0.0.1 (a relay in front of it)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    head, _, rest = data["base_url"].partition("//")
    _host, _, tail = rest.partition("/")
    data["base_url"] = f"{head}//127.0.0.1:{port}/{tail}"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def set_name(path: Path, name: str) -> Path:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["name"] = name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path
