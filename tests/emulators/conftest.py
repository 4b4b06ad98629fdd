"""Fixtures for emulator tests: one CA per session, emulators started on demand over real TLS.

A test module that shares one emulator between its tests declares it::

    EMULATOR = ModuleEmulator("itrp", client={"auth": TOKEN_AUTH})

and takes ``emu`` (the running emulator, one per module) and ``api`` (a keep-alive client
of it). Tests that change data or move time start their own with ``start``.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock, make_tls, run_emulator, start_emulator
from harness.emulators._server import TLSFiles


@dataclass(frozen=True)
class ModuleEmulator:
    """The emulator a test module shares: its vendor, how it starts and how ``api`` calls it."""

    vendor: str
    client: Mapping[str, Any] = field(default_factory=dict)  # client_for keywords (auth, headers)
    frozen_at: float | None = None  # a virtual clock frozen at this instant (None: flowing)
    options: Mapping[str, Any] = field(default_factory=dict)  # emulator options (rate_limits)


def no_delay(emu: RunningEmulator) -> RunningEmulator:
    """Set TCP_NODELAY on the listening socket (accepted sockets inherit it).

    Workaround: _server.py creates its socket with proto 0, so asyncio's own
    _set_nodelay skips the accepted connections, and each response (headers and body
    are two writes) waits ~40 ms for a delayed ACK. Harmless once that is fixed.
    """
    for server in emu.server.servers:
        for sock in server.sockets:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return emu


def _module_emulator(request: pytest.FixtureRequest) -> ModuleEmulator:
    # Test modules import this file as tests.emulators.conftest, pytest loads it under
    # another name: the class may be a twin of ModuleEmulator, so no isinstance check.
    spec: ModuleEmulator | None = getattr(request.module, "EMULATOR", None)
    if spec is None or not hasattr(spec, "vendor"):
        raise pytest.UsageError(
            f"{request.module.__name__} uses the emu/api fixtures without declaring "
            "EMULATOR = ModuleEmulator(...)"
        )
    return spec


@pytest.fixture(scope="module")
def emu(request: pytest.FixtureRequest, tls: TLSFiles) -> Iterator[RunningEmulator]:
    """One emulator for the module's tests, as the module's ``EMULATOR`` describes it."""
    spec = _module_emulator(request)
    clock = None if spec.frozen_at is None else VirtualClock(spec.frozen_at, flowing=False)
    with run_emulator(spec.vendor, tls=tls, clock=clock, options=dict(spec.options)) as running:
        yield no_delay(running)


@pytest.fixture(scope="module")
def api(request: pytest.FixtureRequest, emu: RunningEmulator) -> Iterator[httpx.Client]:
    """A keep-alive client of the module's emulator, with the module's credentials."""
    with client_for(emu, **_module_emulator(request).client) as client:
        yield client


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls(Path(tmp_path_factory.mktemp("tls")))


@pytest.fixture
def start(tls: TLSFiles) -> Iterator[Callable[..., RunningEmulator]]:
    """``start("itrp", faults=("name",))`` starts an emulator that stops after the test."""
    running: list[RunningEmulator] = []

    def _start(vendor: str, **kwargs: Any) -> RunningEmulator:
        emu = start_emulator(vendor, tls=tls, **kwargs)
        running.append(emu)
        return emu

    yield _start
    for emu in running:
        emu.stop()


def client_for(emu: RunningEmulator, **kwargs: Any) -> httpx.Client:
    """A keep-alive client that trusts the emulator's CA, based at its base URL."""
    context = ssl.create_default_context(cafile=str(emu.tls.ca))
    return httpx.Client(base_url=emu.base_url, verify=context, timeout=10, **kwargs)


def advance(emu: RunningEmulator, seconds: float) -> float:
    """Move the emulator's virtual clock through its control endpoint."""
    context = ssl.create_default_context(cafile=str(emu.tls.ca))
    with httpx.Client(verify=context) as c:
        r = c.post(f"{emu.origin}/__emulator__/clock", json={"advance_seconds": seconds})
        r.raise_for_status()
        return float(r.json()["now"])


def set_faults(
    emu: RunningEmulator, enable: tuple[str, ...] = (), disable: tuple[str, ...] = ()
) -> None:
    context = ssl.create_default_context(cafile=str(emu.tls.ca))
    with httpx.Client(verify=context) as c:
        r = c.post(
            f"{emu.origin}/__emulator__/faults",
            json={"enable": list(enable), "disable": list(disable)},
        )
        r.raise_for_status()
