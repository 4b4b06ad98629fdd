"""Five live-mode targets at once against each one alone: concurrency under each
target's own documented limit, budget and clock.

Each vendor's emulator serves a live-mode target file (``mode = "live"``: read-only, the
client throttled to half the documented limit on the real clock, which really sleeps,
at most :data:`BUDGET` requests, ``--over-budget``: the run stops at the budget and is
reported partial). ``harness run`` (the whole command) checks each target
alone, then all five in one command; with the targets side by side the five take about
as long as the slowest one alone, not the sum. The emulators run in their own process,
as a vendor's API would.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from benchmarks._commands import user_env, warm_bytecode
from harness._resources import vendor_names

BUDGET = 40  # requests per target: enough for two vendors to wait on their documented limits


def _emulate(vendors: tuple[str, ...], folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "emulate", *vendors, "--target-dir", str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env=user_env(PYTHONUNBUFFERED="1"),
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("CA:"):
            return proc
    raise RuntimeError("the emulators did not start")


def _live(path: Path) -> Path:
    """The emulator's target file as a live target within the benchmark's budget."""
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    data["mode"] = "live"
    data["allow"] = {"writes": False, "exhaustion": False, "clock_control": False}
    data["budget"] = {"max_requests": BUDGET}
    live = path.with_name(f"{path.stem}-live.toml")
    live.write_text(tomli_w.dumps(data), encoding="utf-8")
    return live


def _run(files: list[Path], folder: Path, name: str) -> dict[str, Any]:
    args = [arg for f in files for arg in ("--target-file", str(f))]
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "run",
            *args,
            "-q",
            "--over-budget",  # the plan needs more than this budget: stop at it
            "--allow-partial",  # so checks are left unrun, by design
            "--results",
            str(folder / f"{name}.json"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        env=user_env(),
    )
    return {"seconds": round(time.perf_counter() - started, 2), "exit_code": done.returncode}


def measure() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-live-"))
    vendors = vendor_names()
    warm_bytecode()
    proc = _emulate(vendors, folder)
    try:
        files = {v: _live(folder / f"{v}.toml") for v in vendors}
        alone = {v: _run([files[v]], folder, v) for v in vendors}
        together = _run(list(files.values()), folder, "together")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    slowest = max(alone.values(), key=lambda r: r["seconds"])
    return {
        "targets": len(vendors),
        "budget_per_target": BUDGET,
        "alone_seconds": {v: r["seconds"] for v, r in alone.items()},
        "alone_exit_codes": {v: r["exit_code"] for v, r in alone.items()},
        "sum_alone_seconds": round(sum(r["seconds"] for r in alone.values()), 2),
        "together_seconds": together["seconds"],
        "together_exit_code": together["exit_code"],
        "ratio_to_slowest": round(together["seconds"] / slowest["seconds"], 3),
    }
