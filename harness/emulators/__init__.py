"""Faithful, faultable emulators of the five vendor APIs.

Public surface: :func:`build_app` (the ASGI app, for in-process use),
:func:`start_emulator` / :func:`run_emulator` (real TLS on loopback), and
:func:`fault_catalog` (every vendor's faults and the clause each breaks).
"""

from __future__ import annotations

from harness._resources import vendor_names
from harness.emulators._base import EmulatorContext, build_app, vendor_module
from harness.emulators._clock import VirtualClock
from harness.emulators._faults import Fault
from harness.emulators._server import (
    RunningEmulator,
    make_tls,
    run_emulator,
    serve_in_child,
    start_emulator,
    stop_emulators,
)

__all__ = [
    "EmulatorContext",
    "Fault",
    "RunningEmulator",
    "VirtualClock",
    "build_app",
    "fault_catalog",
    "make_tls",
    "run_emulator",
    "serve_in_child",
    "start_emulator",
    "stop_emulators",
    "vendor_module",
]


def fault_catalog(vendors: tuple[str, ...] | None = None) -> dict[str, tuple[Fault, ...]]:
    """The faults of each vendor's emulator."""
    return {v: vendor_module(v).FAULTS for v in (vendors or vendor_names())}
