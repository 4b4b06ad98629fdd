"""``python -m benchmarks``: every figure side by side in one run; a table and results.json.

- full_run: ``harness run`` of all five vendors against the emulators, targets side by side
  and one after another (whole commands, same verdicts)
- request_cost: the harness's cost per request against bare httpx (ratio)
- fuzz_comparison: the harness's fuzz suite against ``st run --checks all``, whole commands,
  requests counted at the emulator: throughput and which faults each finds, how fast
- live_concurrency: five live-mode targets at once against each alone
- validation_cost: schema validation per 100-item page, harness validator against jsonschema
- monitor_capacity: harness monitor --once over 1, 20 and 100 targets, capacity per process
- emulator_throughput: each emulator's requests/s over keep-alive loopback TLS, start-up time
- selftest_parallel: ``harness selftest`` one by one against one worker per core (ratio)
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
    fuzz_comparison,
    live_concurrency,
    monitor_capacity,
    request_cost,
    selftest_parallel,
    validation_cost,
)
from harness._resources import vendor_names

RESULTS = Path(__file__).with_name("results.json")
README = Path(__file__).parent.parent / "README.md"
TABLE_START, TABLE_END = "<!-- benchmarks:table -->", "<!-- /benchmarks:table -->"


def _steps(seconds: float) -> dict[str, Callable[[], Any]]:
    return {
        "full_run": full_run.measure,
        "request_cost": request_cost.measure,
        "fuzz_comparison": fuzz_comparison.measure,
        "live_concurrency": live_concurrency.measure,
        "validation_cost": validation_cost.measure,
        "monitor_capacity": monitor_capacity.measure,
        "selftest_parallel": selftest_parallel.measure,
        "emulator_throughput": lambda: [
            emulator_throughput.measure(v, seconds) for v in vendor_names()
        ],
    }


def _cpu(run: dict[str, Any]) -> str:
    """Processor seconds of the run's commands (emulators included), where measured."""
    cpu = run.get("cpu_seconds")
    if not cpu:
        return ""
    return f"; processor time {cpu['default']} s / {cpu['serial']} s"


def _table(results: dict[str, Any]) -> list[str]:
    lines = ["| figure | value | goal |", "|---|---|---|"]
    run = results.get("full_run")
    if run and "serial_wall_seconds" in run:
        same = "same verdicts" if run["same_verdicts_serial"] else "VERDICTS DIFFER"
        lines.append(
            f"| full emulated run, 5 vendors (`harness run`, whole command) | "
            f"{run['wall_seconds']} s (side by side, the default); "
            f"{run['serial_wall_seconds']} s one after another ({same}); {run['requests']} "
            f"requests, {run['checks']} checks, exit {run['exit_code']}{_cpu(run)} | <= 12 s |"
        )
    cost = results.get("request_cost")
    if cost and "ratio" in cost:
        lines.append(
            f"| harness cost per request / bare httpx | {cost['ratio']} "
            f"({cost['harness_ms']} ms / {cost['bare_httpx_ms']} ms); with Allure results "
            f"{cost.get('with_allure_ratio', '-')} | <= 1.15 |"
        )
    fuzz = results.get("fuzz_comparison")
    if fuzz and "throughput_ratio" in fuzz:
        lines.append(
            f"| fuzz requests/s, harness fuzz suite / `st run --checks all` (whole commands, "
            f"{fuzz['max_examples']} examples per operation, counted at the emulator) | "
            f"{fuzz['throughput_ratio']} ({fuzz['harness_requests_per_second']} / "
            f"{fuzz['schemathesis_requests_per_second']}) | - |"
        )
        found = fuzz["generic_found"]
        seconds = fuzz["seconds_to_find_generic"]
        lines.append(
            f"| generic TopTickets faults found, harness / schemathesis (same time budget) | "
            f"{found['harness']} / {found['schemathesis']} of {fuzz['generic_faults']}; "
            f"seconds to find those both find: {seconds['harness']} / {seconds['schemathesis']} "
            f"(ratio {fuzz['detection_seconds_ratio']}) | harness finds at least as many, "
            "in less time |"
        )
    live = results.get("live_concurrency")
    if live and "ratio_to_slowest" in live:
        lines.append(
            f"| {live['targets']} live-mode targets at once / slowest alone | "
            f"{live['ratio_to_slowest']} ({live['together_seconds']} s / "
            f"{max(live['alone_seconds'].values())} s; {live['sum_alone_seconds']} s one after "
            "another) | <= 1.3 |"
        )
    val = results.get("validation_cost")
    if val:
        lines.append(
            f"| validation of a 100-item page | {val['harness_ms']} ms vs jsonschema "
            f"{val['jsonschema_ms']} ms ({val['speedup']}x) | - |"
        )
    mon = results.get("monitor_capacity")
    if mon and "capacity_per_5min" in mon:
        lines.append(
            f"| monitor --once, 1 / 20 / 100 targets (real throttling) | slowest single "
            f"{max(mon['single_target_seconds'].values())} s, {mon['cycle_seconds']['20']} s, "
            f"{mon['cycle_seconds']['100']} s (100 / slowest single "
            f"{mon['ratio_100_to_slowest_single']}); ~{mon['capacity_per_5min']} targets per 5 min "
            f"per process; peak RSS {mon['peak_rss_mb']['100']} MB | <= 3x, >= 200 |"
        )
    proof = results.get("selftest_parallel")
    if proof and "speedup" in proof:
        lines.append(
            f"| selftest of {proof['faults']} faults, one by one / {proof['workers']} workers "
            f"| {proof['serial_seconds']} s / {proof['parallel_seconds']} s "
            f"(x{proof['speedup']}, {'same' if proof['same_verdicts'] else 'DIFFERENT'} "
            "verdicts) | - |"
        )
    for row in results.get("emulator_throughput", []):
        lines.append(
            f"| {row['vendor']} emulator req/s (1 record / default page), start | "
            f"{row['small_page']['requests_per_second']} / "
            f"{row['default_page']['requests_per_second']}, {row['start_seconds']} s "
            "| >= 300 req/s, start < 2 s |"
        )
    return lines


def _found(found: bool, seconds: float | None) -> str:
    return f"found in {seconds} s" if found and seconds is not None else "not found"


def _detection(results: dict[str, Any]) -> list[str]:
    fuzz = results.get("fuzz_comparison")
    if not fuzz or "detection" not in fuzz:
        return []
    lines = [
        "",
        f"Fault detection on the {fuzz['vendor']} emulator (seconds from process start; "
        "schemathesis given the harness's time on each fault as `--max-time`):",
        "",
        "| fault (clause) | breaks | generic | harness fuzz suite | `st run --checks all` |",
        "|---|---|---|---|---|",
    ]
    for row in fuzz["detection"]:
        lines.append(
            f"| {row['fault']} ({row['clause']}) | {row['breaks']} | "
            f"{'yes' if row['generic'] else 'no'} | "
            f"{_found(row['harness_found'], row['harness_seconds'])} | "
            f"{_found(row['schemathesis_found'], row['schemathesis_seconds'])} |"
        )
    return lines


def _write_readme(results: dict[str, Any], lines: list[str]) -> bool:
    """Put the table between the README's benchmark markers (False when they are missing)."""
    if not README.is_file():
        return False
    text = README.read_text(encoding="utf-8")
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        return False
    machine = results.get("machine", {})
    head = (
        f"Measured {results.get('when', '?')} on {machine.get('cpus', '?')} cores, "
        f"Python {machine.get('python', '?')}:"
    )
    block = "\n".join([TABLE_START, head, "", *lines, TABLE_END])
    README.write_text(text[:start] + block + text[end + len(TABLE_END) :], encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput measurement")
    parser.add_argument("--only", action="append", default=[], help="run only these figures")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-readme", action="store_true", help="leave README.md as it is")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    if args.only and args.out.is_file():  # measure some figures again, keep the others
        results = json.loads(args.out.read_text(encoding="utf-8"))
    results["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    for name, step in _steps(args.seconds).items():
        if args.only and name not in args.only:
            continue
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        try:
            results[name] = step()
        except Exception as exc:  # a figure that cannot be measured is reported, not hidden
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = _table(results) + _detection(results)
    print("\n".join(lines))
    print(f"written to {args.out}")
    if not args.no_readme and args.out == RESULTS:
        if _write_readme(results, lines):
            print(f"and to the table in {README}")
        else:
            print(f"note: {README} has no {TABLE_START} ... {TABLE_END} block to update")
    return 0


if __name__ == "__main__":
    sys.exit(main())
