"""``python -m benchmarks``: run every benchmark, print a table, write benchmarks/results.json."""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import emulator_throughput
from harness._resources import vendor_names

RESULTS = Path(__file__).with_name("results.json")


def _emulated_vendors() -> list[str]:
    return [
        v for v in vendor_names() if importlib.util.find_spec(f"harness.emulators.{v}") is not None
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rows = [emulator_throughput.measure(v, args.seconds) for v in _emulated_vendors()]
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": _cpus()},
        "emulator_throughput": rows,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"{'vendor':<12} {'request':<28} {'start s':>8} {'req/s (1 record)':>17} "
        f"{'req/s (default page)':>21}"
    )
    for row in rows:
        small, full = row["small_page"], row["default_page"]
        print(
            f"{row['vendor']:<12} {row['request']:<28} {row['start_seconds']:>8} "
            f"{small['requests_per_second']:>17} {full['requests_per_second']:>21}"
        )
    print(f"written to {args.out}")
    return 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
