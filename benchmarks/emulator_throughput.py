"""An emulator's requests/s over keep-alive loopback TLS, one sequential client.

The request is the vendor's main collection (first page), authenticated with the
harness's own auth flow, so the figure covers routing, auth, paging and JSON encoding.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

import httpx

from harness.auth import ProfileAuth, render
from harness.emulators import run_emulator, vendor_module
from harness.profiles import load_profile

# Enough headroom that the documented limits do not end the measurement early.
NO_LIMIT = {"rate_limits": {"all": 10**9, "read": 10**9, "write": 10**9, "token": 10**9}}


def measure(vendor: str, seconds: float = 3.0) -> dict[str, Any]:
    """Requests/s served to one keep-alive client, and how many answered 2xx."""
    profile = load_profile(vendor)
    op = profile.main_operation
    with run_emulator(vendor, options=NO_LIMIT) as emu:
        context = ssl.create_default_context(cafile=str(emu.tls.ca))
        credentials = vendor_module(vendor).credentials()
        auth = ProfileAuth(profile, credentials, emu.base_url)
        body = render(dict(op.body), credentials | {"access_token": ""}) if op.body else None
        with httpx.Client(verify=context, timeout=10, auth=auth) as client:
            url = emu.base_url + op.path
            client.request(op.method, url, json=body)  # warm up: TLS, token
            sent = ok = 0
            start = time.perf_counter()
            deadline = start + seconds
            while time.perf_counter() < deadline:
                response = client.request(op.method, url, json=body)
                sent += 1
                ok += response.is_success
            elapsed = time.perf_counter() - start
    return {
        "vendor": vendor,
        "request": f"{op.method} {op.path}",
        "requests": sent,
        "ok": ok,
        "seconds": round(elapsed, 3),
        "requests_per_second": round(sent / elapsed, 1),
    }
