"""An emulator's requests/s over keep-alive loopback TLS, one sequential client.

The emulator runs in its own process (``harness emulate``), as users run it, so the
client does not share its interpreter. Two requests are measured: the vendor's main
collection at its smallest page (routing, auth, paging, JSON) and at its documented
default page size.
"""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from harness.auth import ProfileAuth, render
from harness.checks._ops import page_params
from harness.targets import load_target

# Lift the documented limits so they do not end the measurement early.
NO_LIMIT = [
    "--rate-limit",
    "all=1000000000",
    "--rate-limit",
    "read=1000000000",
    "--rate-limit",
    "write=1000000000",
    "--rate-limit",
    "token=1000000000",
]


def _serve(vendor: str, folder: Path) -> tuple[subprocess.Popen[str], Path, float]:
    """Start ``harness emulate``; also return the seconds until it printed its base URL."""
    target_file = folder / f"{vendor}.toml"
    # As users run it: bytecode cached (this environment disables that by default).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-c", "import harness.cli, harness.emulators"], env=env, check=True
    )
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "emulate",
            vendor,
            "--target-file",
            str(target_file),
            "--tls-dir",
            str(folder / "tls"),
            *NO_LIMIT,
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    return proc, target_file, time.perf_counter() - started


def _rate(
    client: httpx.Client, method: str, url: str, body: Any, seconds: float
) -> tuple[int, int, float]:
    client.request(method, url, json=body)  # warm up: TLS session, token
    sent = ok = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        ok += client.request(method, url, json=body).is_success
        sent += 1
    return sent, ok, time.perf_counter() - start


def measure(vendor: str, seconds: float = 3.0) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    proc, target_file, start_seconds = _serve(vendor, folder)
    try:
        target = load_target(target_file, environ={})
        profile = target.profile
        op = profile.main_operation
        auth = ProfileAuth(profile, target.credentials, target.base_url)
        context = ssl.create_default_context(cafile=str(target.ca_bundle))
        rows = {}
        with httpx.Client(verify=context, timeout=10, auth=auth) as client:
            for label, size in (("small_page", 1), ("default_page", None)):
                paging = page_params(profile.pagination, None, size) if size else {}
                url = target.base_url + op.path
                body = (
                    render(dict(op.body), {**target.credentials, "access_token": ""})
                    if op.body
                    else None
                )
                if profile.pagination.location == "body" and paging and isinstance(body, dict):
                    node = body
                    for part in [p for p in (profile.pagination.body_path or "").split("/") if p]:
                        node = node.setdefault(part, {})
                    node.update(paging)
                elif paging:
                    url += "?" + "&".join(f"{k}={v}" for k, v in paging.items())
                sent, ok, elapsed = _rate(client, op.method, url, body, seconds)
                rows[label] = {
                    "requests": sent,
                    "ok": ok,
                    "requests_per_second": round(sent / elapsed, 1),
                }
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    return {
        "vendor": vendor,
        "request": f"{op.method} {op.path}",
        "start_seconds": round(start_seconds, 3),
        **rows,
    }
