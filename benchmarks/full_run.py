"""The full ``harness run`` of all five vendors against the built-in emulators, as a user
runs it: the whole command from process start (bytecode cached, as after an install),
as it runs by default (the built-in emulators served from a child interpreter, every
target side by side) and one target after another (``--jobs 1``), alternately.

Both must give every clause the same verdict; the figure is the default run's wall time
(median), with the serial one beside it, and the processor time each command used
(with every process it started, emulators included): unlike wall time, that does not
depend on what else the machine is doing.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._commands import user_env, warm_bytecode

ROUNDS = 2


def _cpu() -> float:
    """Processor seconds of every finished child process so far (theirs included)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(folder: Path, name: str, *extra: str) -> tuple[float, float, int, dict[str, Any]]:
    results = folder / f"{name}.json"
    cpu = _cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "run", "-q", "--results", str(results), *extra],
        capture_output=True,
        text=True,
        env=user_env(),
        timeout=1800,
        check=False,
    )
    wall = time.perf_counter() - started
    data: dict[str, Any] = json.loads(results.read_text()) if results.is_file() else {}
    return wall, _cpu() - cpu, done.returncode, data


def _verdicts(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(c["vendor"], c["clause"], c["operation"], c["outcome"]) for c in data.get("cases", [])]


def measure() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    warm_bytecode()
    serial_args = ("--jobs", "1")
    default: list[float] = []
    serial: list[float] = []
    cpu: dict[str, list[float]] = {"default": [], "serial": []}
    same = True
    data: dict[str, Any] = {}
    code = -1
    for i in range(ROUNDS):
        wall, used, code, data = _run(folder, f"default-{i}")
        default.append(wall)
        cpu["default"].append(round(used, 2))
        p_wall, p_used, p_code, p_data = _run(folder, f"serial-{i}", *serial_args)
        serial.append(p_wall)
        cpu["serial"].append(round(p_used, 2))
        same = same and _verdicts(data) == _verdicts(p_data) and code == p_code
    per_vendor: Counter[str] = Counter()
    seconds: dict[str, float] = {}
    for result in data.get("results", []):
        per_vendor[result["vendor"]] += result["requests"]
        seconds[result["vendor"]] = seconds.get(result["vendor"], 0.0) + result["seconds"]
    return {
        "wall_seconds": round(statistics.median(default), 2),
        "serial_wall_seconds": round(statistics.median(serial), 2),
        "runs": {
            "default": [round(w, 2) for w in default],
            "serial": [round(w, 2) for w in serial],
        },
        "cpu_seconds": {k: round(statistics.median(v), 2) for k, v in cpu.items()},
        "cpu_runs": cpu,
        "same_verdicts_serial": same,
        "exit_code": code,
        "checks": len(data.get("results", [])),
        "cases": len(data.get("cases", [])),
        "requests": sum(per_vendor.values()),
        "requests_per_vendor": dict(per_vendor),
        "check_seconds_per_vendor": {k: round(v, 2) for k, v in seconds.items()},
    }
