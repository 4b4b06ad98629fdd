"""``python -m benchmarks``: every figure side by side in one run; a table and results.json.

- full_run: ``harness run`` of all five vendors against the emulators (wall time, requests)
- request_cost: the harness's cost per request against bare httpx (ratio)
- fuzz_throughput: harness fuzz cases/s against schemathesis' pytest integration (ratio)
- validation_cost: schema validation per 100-item page, harness validator against jsonschema
- emulator_throughput: each emulator's requests/s over keep-alive loopback TLS, start-up time
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import (
    emulator_throughput,
    full_run,
    fuzz_throughput,
    request_cost,
    validation_cost,
)
from harness._resources import vendor_names

RESULTS = Path(__file__).with_name("results.json")


def _steps(seconds: float) -> dict[str, Callable[[], Any]]:
    return {
        "full_run": full_run.measure,
        "request_cost": request_cost.measure,
        "fuzz_throughput": fuzz_throughput.measure,
        "validation_cost": validation_cost.measure,
        "emulator_throughput": lambda: [
            emulator_throughput.measure(v, seconds) for v in vendor_names()
        ],
    }


def _table(results: dict[str, Any]) -> list[str]:
    lines = ["| figure | value | goal |", "|---|---|---|"]
    run = results.get("full_run")
    if run:
        lines.append(
            f"| full emulated run, 5 vendors | {run['wall_seconds']} s, {run['requests']} "
            f"requests, {run['checks']} checks, exit {run['exit_code']} | < 60 s |"
        )
    cost = results.get("request_cost")
    if cost:
        lines.append(
            f"| harness cost per request / bare httpx | {cost['ratio']} "
            f"({cost['harness_ms']} ms / {cost['bare_httpx_ms']} ms) | <= 1.3 |"
        )
    fuzz = results.get("fuzz_throughput")
    if fuzz and "ratio" in fuzz:
        lines.append(
            f"| fuzz cases/s, harness / schemathesis | {fuzz['ratio']} "
            f"({fuzz['harness_cases_per_second']} / {fuzz['schemathesis_cases_per_second']}) "
            "| >= 1.0 |"
        )
    val = results.get("validation_cost")
    if val:
        lines.append(
            f"| validation of a 100-item page | {val['harness_ms']} ms vs jsonschema "
            f"{val['jsonschema_ms']} ms ({val['speedup']}x) | - |"
        )
    for row in results.get("emulator_throughput", []):
        lines.append(
            f"| {row['vendor']} emulator req/s (1 record / default page), start | "
            f"{row['small_page']['requests_per_second']} / "
            f"{row['default_page']['requests_per_second']}, {row['start_seconds']} s "
            "| >= 300 req/s, start < 2 s |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput measurement")
    parser.add_argument("--only", action="append", default=[], help="run only these figures")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    for name, step in _steps(args.seconds).items():
        if args.only and name not in args.only:
            continue
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        try:
            results[name] = step()
        except Exception as exc:  # a figure that cannot be measured is reported, not hidden
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\n".join(_table(results)))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
