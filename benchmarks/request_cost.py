"""The harness's cost per request against bare httpx, same requests, same emulator.

Harness path per request: the HarnessClient (auth flow, throttle bookkeeping, budget,
recording), schema validation of the body, and the Allure step's redacted request and
response attachments written to disk. Bare path: ``httpx.Client.get`` with the same
headers over the same keep-alive connection setup.
"""

from __future__ import annotations

import ssl
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.emulator_throughput import _serve
from harness._allure import _text
from harness.client import HarnessClient
from harness.engine import EmulatorClock
from harness.targets import load_target
from harness.validation import default_store

PATH = "/tickets"
PARAMS = {"limit": 20}
SCHEMA = "https://harness.local/schemas/toptickets/ticket-list.schema.json"


def _bare(target: Any, n: int) -> float:
    context = ssl.create_default_context(cafile=str(target.ca_bundle))
    headers = {"Authorization": f"Bearer {target.credentials['api_key']}"}
    with httpx.Client(verify=context, timeout=10) as client:
        url = target.base_url + PATH
        client.get(url, params=PARAMS, headers=headers)
        start = time.perf_counter()
        for _ in range(n):
            response = client.get(url, params=PARAMS, headers=headers)
            response.json()
        return (time.perf_counter() - start) / n


def _harness(target: Any, n: int, folder: Path) -> float:
    store = default_store()
    clock = EmulatorClock(target.origin, ssl.create_default_context(cafile=str(target.ca_bundle)))
    with HarnessClient(target, clock=clock) as client:
        client.request("GET", PATH, params=PARAMS)
        start = time.perf_counter()
        for i in range(n):
            exchange = client.request("GET", PATH, params=PARAMS)
            assert store.validate(SCHEMA, exchange.json()) == []
            for kind, request in (("request", True), ("response", False)):
                text = _text(exchange, client.redactor, request)
                (folder / f"{i}-{kind}.txt").write_text(text, encoding="utf-8")
        elapsed = (time.perf_counter() - start) / n
    clock.close()
    return elapsed


def measure(n: int = 300) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    proc, target_file, _ = _serve("toptickets", folder)
    try:
        target = load_target(target_file, environ={})
        # interleave to share the machine's noise fairly between both paths
        bare = [_bare(target, n // 3) for _ in range(3)]
        harness = [_harness(target, n // 3, folder) for _ in range(3)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bare_ms, harness_ms = min(bare) * 1000, min(harness) * 1000
    return {
        "request": f"GET {PATH}?limit=20 (toptickets emulator, keep-alive TLS)",
        "requests": n,
        "bare_httpx_ms": round(bare_ms, 3),
        "harness_ms": round(harness_ms, 3),
        "ratio": round(harness_ms / bare_ms, 3),
    }
