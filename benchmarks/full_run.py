"""The full ``harness run`` of all five vendors against the emulators: wall time, requests."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from harness.runner import RunOptions, run


def measure() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    start = time.perf_counter()
    report = run(RunOptions(results_file=folder / "results.json"))
    wall = time.perf_counter() - start
    per_vendor: Counter[str] = Counter()
    seconds: dict[str, float] = {}
    for result in report.results:
        per_vendor[result.vendor] += result.requests
        seconds[result.vendor] = seconds.get(result.vendor, 0.0) + result.seconds
    return {
        "wall_seconds": round(wall, 2),
        "exit_code": report.exit_code,
        "checks": len(report.results),
        "cases": len(report.cases),
        "requests": sum(per_vendor.values()),
        "requests_per_vendor": dict(per_vendor),
        "check_seconds_per_vendor": {k: round(v, 2) for k, v in seconds.items()},
    }
