"""Every vendor's emulator at once, over one TLS authority: for tests that compare vendors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.emulators import RunningEmulator, make_tls, start_emulator


@contextmanager
def running_emulators(vendors: Iterable[str], folder: Path) -> Iterator[dict[str, RunningEmulator]]:
    """``{vendor: emulator}`` started with one CA in ``folder``; all stopped on exit."""
    tls = make_tls(folder)
    running: dict[str, RunningEmulator] = {}
    try:
        for vendor in vendors:
            running[vendor] = start_emulator(vendor, tls=tls)
        yield running
    finally:
        for emu in running.values():
            emu.stop()
