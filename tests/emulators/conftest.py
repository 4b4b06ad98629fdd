"""Fixtures for emulator tests: one CA per session, emulators started on demand over real TLS."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, make_tls, start_emulator
from harness.emulators._server import TLSFiles


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
