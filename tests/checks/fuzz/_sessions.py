"""Fuzz check sessions: against a vendor's emulator, or a small scripted server."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from harness.checks import CheckContext, SessionOptions, TargetSession, get_check
from harness.emulators import start_emulator
from harness.emulators._server import TLSFiles
from harness.engine import CheckResult, open_session, run_check
from harness.targets import load_target
from tests.support.sessions import fake_session

Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json; charset=utf-8"}


@contextmanager
def emulated(
    tls: TLSFiles, vendor: str, faults: tuple[str, ...] = (), max_examples: int | None = None
) -> Iterator[TargetSession]:
    """A session against the vendor's emulator (with ``faults``)."""
    emu = start_emulator(vendor, faults=faults, tls=tls)
    try:
        folder = Path(tempfile.mkdtemp(prefix="fuzz-target-"))
        session = open_session(
            load_target(emu.write_target(folder / "t.toml"), environ={}),
            options=SessionOptions(max_examples=max_examples),
        )
        try:
            yield session
        finally:
            session.client.close()
            close = getattr(session.client.clock, "close", None)
            if close is not None:
                close()
    finally:
        emu.stop()


def run(session: TargetSession, check: str, op_id: str | None = None) -> CheckResult:
    """Run one check of a session (for the operation ``op_id``)."""
    op = session.profile.operation(op_id) if op_id else None
    return run_check(session, get_check(check), op)


def refuse_all(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected: {request.url}")


@contextmanager
def scripted_context(
    tmp_path: Path, vendor: str, check: str, strict: bool = False, handler: Handler = refuse_all
) -> Iterator[CheckContext]:
    """The context of ``check`` over a scripted server (by default one that sends nothing)."""
    session = fake_session(tmp_path, vendor, handler, strict=strict)
    try:
        yield CheckContext(session=session, check=check)
    finally:
        session.client.close()


def run_scripted(
    tmp_path: Path, vendor: str, check: str, op_id: str, handler: Handler
) -> CheckResult:
    """Run ``check`` for ``op_id`` against ``handler``, 12 requests per operation."""
    session = fake_session(tmp_path, vendor, handler)
    session.options = SessionOptions(max_examples=12)
    try:
        return run(session, check, op_id)
    finally:
        session.client.close()
