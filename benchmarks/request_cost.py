"""The harness's cost per request against bare httpx, same requests, same emulator.

Harness path per request: the HarnessClient (auth flow, throttle bookkeeping, budget,
recording), JSON parsing and schema validation of the body, and the Allure step's
redacted request-and-response attachment written to disk. Bare path: ``httpx.Client``
sending the same request with the same headers and parsing the JSON body. Both keep one
connection open; batches alternate so both paths share the machine's noise, and the
median batch is reported.
"""

from __future__ import annotations

import ssl
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from harness._allure import exchange_text

from benchmarks.emulator_throughput import _serve
from harness.client import HarnessClient
from harness.engine import EmulatorClock
from harness.targets import load_target
from harness.validation import default_store

PATH = "/tickets"
PARAMS = {"limit": 20}
SCHEMA = "https://harness.local/schemas/toptickets/ticket-list.schema.json"


def measure(n: int = 300, rounds: int = 5) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    proc, target_file, _ = _serve("toptickets", folder)
    store = default_store()
    try:
        target = load_target(target_file, environ={})
        context = ssl.create_default_context(cafile=str(target.ca_bundle))
        headers = {"Authorization": f"Bearer {target.credentials['api_key']}"}
        url = target.base_url + PATH
        clock = EmulatorClock(target.origin, context)
        bare_times: list[float] = []
        harness_times: list[float] = []
        with (
            httpx.Client(verify=context, timeout=10) as bare,
            HarnessClient(target, clock=clock) as client,
        ):
            bare.get(url, params=PARAMS, headers=headers)
            client.request("GET", PATH, params=PARAMS)
            batch = max(1, n // rounds)
            for r in range(rounds):
                start = time.perf_counter()
                for _ in range(batch):
                    bare.get(url, params=PARAMS, headers=headers).json()
                bare_times.append((time.perf_counter() - start) / batch)
                start = time.perf_counter()
                for i in range(batch):
                    exchange = client.request("GET", PATH, params=PARAMS)
                    assert store.validate(SCHEMA, exchange.json()) == []
                    text = exchange_text(exchange, client.redactor)  # one Allure attachment
                    (folder / f"{r}-{i}.txt").write_text(text, encoding="utf-8")
                harness_times.append((time.perf_counter() - start) / batch)
        clock.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bare_ms = statistics.median(bare_times) * 1000
    harness_ms = statistics.median(harness_times) * 1000
    return {
        "request": f"GET {PATH}?limit=20 (toptickets emulator, keep-alive TLS)",
        "requests": n,
        "bare_httpx_ms": round(bare_ms, 3),
        "harness_ms": round(harness_ms, 3),
        "ratio": round(harness_ms / bare_ms, 3),
    }
