"""Running one error check against a small scripted server (no sockets)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from harness.checks import get_check
from harness.engine import CheckResult, run_check
from tests.support.sessions import fake_session

Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json; charset=utf-8"}


def run(
    tmp_path: Path,
    vendor: str,
    check: str,
    handler: Handler,
    *,
    strict: bool = False,
    operation: str | None = None,
    writes: bool = False,
) -> CheckResult:
    """Run ``check`` once (for ``operation``) against ``handler``."""
    session = fake_session(tmp_path, vendor, handler, strict=strict, allow={"writes": writes})
    try:
        op = session.profile.operation(operation) if operation else None
        return run_check(session, get_check(check), op)
    finally:
        session.client.close()
