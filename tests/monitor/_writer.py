"""A process that writes records to a history as fast as it can (concurrency tests).

``python -m tests.monitor._writer URL NAME COUNT START``: waits until the Unix time
START (so that several writers begin together, on a database that may not have its
tables yet), then saves COUNT records of five targets with changing statuses, each with
its checks and findings, and prints how many it saved.
"""

from __future__ import annotations

import sys
import time

from harness.monitor.status import CheckRecord, FindingRecord, VendorRecord
from harness.monitor.store import Cycle, HistoryStore

STATUSES = ("healthy", "failing", "healthy", "unreachable", "degraded")


def record(name: str, i: int) -> VendorRecord:
    status = STATUSES[(i // 5) % len(STATUSES)]
    found = (FindingRecord("ITRP-X", "c", "critical", "", "t", "m"),) if status == "failing" else ()
    return VendorRecord(
        vendor="itrp",
        target=f"shared {i % 5}",
        mode="live",
        status=status,  # type: ignore[arg-type]
        started=time.time(),
        finished=time.time(),
        requests=2,
        budget=40,
        checks=(CheckRecord("c", "", "passed", ("ITRP-X",), 2, 0.1, name),),
        findings=found,
        latencies=(0.01, 0.02),
    )


def main(url: str, name: str, count: int, start: float) -> int:
    time.sleep(max(0.0, start - time.time()))
    store = HistoryStore(url)
    cycle = Cycle("test", time.time())
    saved = 0
    for i in range(count):
        store.save(cycle, record(name, i), ("webhook",), lambda t: {"kind": t.kind})
        saved += 1
    store.finish_cycle(cycle)
    store.close()
    sys.stdout.write(f"{saved}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
