"""Serving an emulator: real TLS on loopback (a CA made at start), uvicorn in a thread."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trustme
import uvicorn

from harness.emulators._base import EmulatorContext, build_app, vendor_module
from harness.emulators._clock import VirtualClock
from harness.errors import HarnessError
from harness.targets import write_target

__all__ = ["RunningEmulator", "TLSFiles", "make_tls", "run_emulator", "start_emulator"]


@dataclass(frozen=True)
class TLSFiles:
    ca: Path
    cert_chain: Path
    key: Path


def make_tls(folder: Path) -> TLSFiles:
    """A fresh CA and a loopback server certificate, written as PEM files."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="harness emulator CA")
    server = ca.issue_cert("127.0.0.1", "localhost", "::1")
    files = TLSFiles(folder / "ca.pem", folder / "server-chain.pem", folder / "server-key.pem")
    ca.cert_pem.write_to_path(str(files.ca))
    for blob in server.cert_chain_pems:
        blob.write_to_path(str(files.cert_chain), append=True)
    server.private_key_pem.write_to_path(str(files.key))
    return files


@dataclass
class RunningEmulator:
    """A started emulator: where it is, how to trust it, and its live context."""

    vendor: str
    host: str
    port: int
    ctx: EmulatorContext
    tls: TLSFiles
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.origin + urlsplit(self.ctx.profile.base_url).path.rstrip("/")

    def target_data(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "name": f"{self.vendor} (emulator)",
            "base_url": self.base_url,
            "mode": "emulator",
            "ca_bundle": str(self.tls.ca),
            "credentials": vendor_module(self.vendor).credentials(),
            "allow": {"writes": True, "exhaustion": True, "clock_control": True},
            "budget": {"max_requests": 20000},
        }

    def write_target(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_target(path, self.target_data())
        return path

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_emulator(
    vendor: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: tuple[str, ...] = (),
    tls: TLSFiles | None = None,
    clock: VirtualClock | None = None,
    options: dict[str, Any] | None = None,
) -> RunningEmulator:
    """Start serving in a background thread; returns once it accepts connections."""
    try:
        app, ctx = build_app(vendor, faults, clock=clock, options=options)
    except ValueError as exc:
        raise HarnessError(str(exc)) from exc
    if tls is None:
        tls = make_tls(Path(tempfile.mkdtemp(prefix="harness-tls-")))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this: no Nagle stall between TLS records of one response.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise HarnessError(
            f"cannot listen on {host}:{port} for the {vendor} emulator: {exc.strerror}; "
            "choose another --port (0 picks a free one)"
        ) from exc
    config = uvicorn.Config(
        app,
        ssl_keyfile=str(tls.key),
        ssl_certfile=str(tls.cert_chain),
        log_level="error",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
        timeout_graceful_shutdown=2,  # an idle keep-alive client must not hold up a stop
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"emulator-{vendor}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise HarnessError(f"the {vendor} emulator did not start on {host}:{port}")
        time.sleep(0.005)
    bound_port = sock.getsockname()[1]
    return RunningEmulator(vendor, host, bound_port, ctx, tls, server, thread)


@contextmanager
def run_emulator(vendor: str, **kwargs: Any) -> Iterator[RunningEmulator]:
    """``with run_emulator("itrp", faults=("x",)) as emu: ...`` — stopped on exit."""
    emu = start_emulator(vendor, **kwargs)
    try:
        yield emu
    finally:
        emu.stop()
