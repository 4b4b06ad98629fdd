"""A target session of any vendor over a hand-made server (``httpx.MockTransport``).

For check tests that judge one behaviour without an emulator::

    session = fake_session(tmp_path, "itrp", handler)
    result = run_check(session, get_check("errors.body-shape"), None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import tomli_w

from harness.checks import TargetSession
from harness.client import HarnessClient
from harness.emulators import vendor_module
from harness.engine import open_session
from harness.profiles import load_profile
from harness.targets import load_target

Handler = Callable[[httpx.Request], httpx.Response]


def fake_target_file(
    folder: Path,
    vendor: str,
    *,
    strict: bool = False,
    allow: Mapping[str, bool] | None = None,
    credentials: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """A target file for ``vendor`` at ``https://vendor.test`` with the emulator's credentials."""
    data: dict[str, Any] = {
        "vendor": vendor,
        "base_url": "https://vendor.test" + urlsplit(load_profile(vendor).base_url).path,
        "mode": "emulator",
        "strict": strict,
        "credentials": dict(credentials or vendor_module(vendor).credentials()),
        "allow": {"writes": False, "exhaustion": False, "clock_control": False, **(allow or {})},
        **(extra or {}),
    }
    path = folder / f"{vendor}-{'strict' if strict else 'lenient'}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def fake_session(
    folder: Path,
    vendor: str,
    handler: Handler,
    *,
    strict: bool = False,
    throttle: bool = False,
    allow: Mapping[str, bool] | None = None,
    credentials: Mapping[str, str] | None = None,
) -> TargetSession:
    """A session whose every request is answered by ``handler`` (no throttle by default)."""
    path = fake_target_file(folder, vendor, strict=strict, allow=allow, credentials=credentials)
    session = open_session(load_target(path, environ={}), transport=httpx.MockTransport(handler))
    if not throttle:
        session.client = HarnessClient(
            session.target, transport=httpx.MockTransport(handler), throttle=False
        )
    return session
