"""``harness selftest`` one by one against side by side (one worker per core): wall time of
each and their ratio, and the mean cost of one fault's proof per vendor (what 200+ faults
will cost). ``python -m benchmarks.selftest_parallel [VENDOR ...]``."""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from typing import Any

from harness.selftest import available_workers, selftest


def _timed(vendors: tuple[str, ...], jobs: int) -> tuple[float, Any]:
    start = time.perf_counter()
    outcome = selftest(vendors, jobs=jobs)
    return time.perf_counter() - start, outcome


def measure(vendors: tuple[str, ...] = ()) -> dict[str, Any]:
    workers = available_workers()
    serial, outcome = _timed(vendors, 1)
    parallel, again = _timed(vendors, workers)
    per_vendor: dict[str, list[float]] = defaultdict(list)
    for verdict in outcome.faults:
        per_vendor[verdict.vendor].append(verdict.seconds)
    return {
        "faults": len(outcome.faults),
        "workers": workers,
        "serial_seconds": round(serial, 1),
        "parallel_seconds": round(parallel, 1),
        "speedup": round(serial / parallel, 2) if parallel else None,
        "same_verdicts": [(v.fault, v.ok) for v in outcome.faults]
        == [(v.fault, v.ok) for v in again.faults],
        "seconds_per_fault": {v: round(sum(s) / len(s), 2) for v, s in per_vendor.items()},
    }


if __name__ == "__main__":
    print(json.dumps(measure(tuple(sys.argv[1:])), indent=2))
