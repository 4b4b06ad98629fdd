"""Serving an emulator: real TLS on loopback (a CA made at start), uvicorn in a thread.

Stopping is prompt (well under a second) and leaves nothing behind: an idle keep-alive
client does not hold a stop up, and a TLS folder the emulator made for itself is removed.

:func:`serve_in_child` serves emulators from a child interpreter (``harness emulate``)
instead: they then answer on another core than the harness's checks (one interpreter
runs one thread at a time), and only their target files cross over.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trustme
import uvicorn
from starlette.types import ASGIApp

from harness.emulators._base import EmulatorContext, build_app, vendor_module
from harness.emulators._clock import VirtualClock
from harness.errors import HarnessError
from harness.targets import write_target

__all__ = [
    "RunningEmulator",
    "TLSFiles",
    "make_tls",
    "run_emulator",
    "serve_in_child",
    "start_emulator",
    "stop_emulators",
]


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
    # Written whole (never appended): a folder used before gets a fresh, matching chain.
    files.cert_chain.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
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
    owned_tls: Path | None = None  # a TLS folder made for this emulator alone, removed on stop

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
            # every probe: the harness puts a reset credential back (/__emulator__/restore)
            "allow": {
                "writes": True,
                "exhaustion": True,
                "clock_control": True,
                "credential_reset": True,
            },
            "budget": {"max_requests": 20000},
        }

    def write_target(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_target(path, self.target_data())
        return path

    def stop(self) -> None:
        stop_emulators([self])


STOP_GRACE = 0.3  # seconds for requests in flight; then idle connections are dropped


def stop_emulators(emulators: Iterable[RunningEmulator], grace: float = STOP_GRACE) -> None:
    """Stop several emulators at once, each within ``grace`` plus a fraction of a second.

    uvicorn waits for every connection to close before it stops, and an idle keep-alive
    TLS client never closes its own: after the grace period the wait is cut short.
    """
    emulators = list(emulators)
    for emu in emulators:
        emu.server.should_exit = True
    deadline = time.monotonic() + grace
    for emu in emulators:
        emu.thread.join(timeout=max(0.0, deadline - time.monotonic()))
    for emu in emulators:
        if emu.thread.is_alive():
            emu.server.force_exit = True
    for emu in emulators:
        emu.thread.join(timeout=5)
        if emu.owned_tls is not None:
            shutil.rmtree(emu.owned_tls, ignore_errors=True)


def start_emulator(
    vendor: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: tuple[str, ...] = (),
    tls: TLSFiles | None = None,
    clock: VirtualClock | None = None,
    options: dict[str, Any] | None = None,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
) -> RunningEmulator:
    """Start serving in a background thread; returns once it accepts connections.

    ``wrap`` puts a middleware around the whole app (tests: a server that echoes requests).
    """
    try:
        app, ctx = build_app(vendor, faults, clock=clock, options=options)
    except ValueError as exc:
        raise HarnessError(str(exc)) from exc
    served: ASGIApp = app if wrap is None else wrap(app)
    if not 0 <= port <= 65535:
        raise HarnessError(f"port {port} for the {vendor} emulator is outside 0-65535")
    owned = None
    if tls is None:
        owned = Path(tempfile.mkdtemp(prefix="harness-tls-"))
        tls = make_tls(owned)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this: no Nagle stall between TLS records of one response.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if owned is not None:
            shutil.rmtree(owned, ignore_errors=True)
        raise HarnessError(
            f"cannot listen on {host}:{port} for the {vendor} emulator: {exc.strerror}; "
            "choose another --port (0 picks a free one)"
        ) from exc
    config = uvicorn.Config(
        served,
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
            server.should_exit = True
            sock.close()
            if owned is not None:
                shutil.rmtree(owned, ignore_errors=True)
            raise HarnessError(f"the {vendor} emulator did not start on {host}:{port}")
        time.sleep(0.005)
    bound_port = sock.getsockname()[1]
    return RunningEmulator(vendor, host, bound_port, ctx, tls, server, thread, owned)


@contextmanager
def run_emulator(vendor: str, **kwargs: Any) -> Iterator[RunningEmulator]:
    """``with run_emulator("itrp", faults=("x",)) as emu: ...`` — stopped on exit."""
    emu = start_emulator(vendor, **kwargs)
    try:
        yield emu
    finally:
        emu.stop()


CHILD_START = 60.0  # seconds for a child interpreter to import and start its emulators


@contextmanager
def serve_in_child(vendors: Iterable[str], folder: Path) -> Iterator[dict[str, Path]]:
    """Serve the built-in emulators of ``vendors`` from one child interpreter; yields the
    target file each got (in ``folder``), vendor by vendor; the child is stopped on exit.
    What the child says on stderr goes to ``folder/emulators.log`` (never a full pipe)."""
    vendors = list(vendors)
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "harness.cli", "emulate", *vendors]
    command += ["--target-dir", str(folder), "--tls-dir", str(folder / "tls")]
    log = folder / "emulators.log"
    with log.open("w", encoding="utf-8") as errors:
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL, text=True
        )
    try:
        _wait_until_serving(child, vendors, log)
        yield {v: folder / f"{v}.toml" for v in vendors}
    finally:
        child.terminate()
        try:
            child.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()


def _wait_until_serving(child: subprocess.Popen[str], vendors: list[str], log: Path) -> None:
    """Read the child's announcements until its CA line (every emulator is serving)."""
    assert child.stdout is not None
    lines: list[str] = []
    timer = threading.Timer(CHILD_START, child.kill)  # a child that hangs does not hang us
    timer.start()
    try:
        for line in child.stdout:
            lines.append(line.rstrip())
            if line.startswith("CA:"):
                return
    finally:
        timer.cancel()
    said = lines + log.read_text(encoding="utf-8").strip().splitlines()[-3:]
    reason = "; ".join(said) or f"exit status {child.wait()}"
    raise HarnessError(f"the emulators of {', '.join(vendors)} did not start: {reason}")
