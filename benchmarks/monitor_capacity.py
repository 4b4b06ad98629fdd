"""How many targets one ``harness monitor`` process can watch in a 5-minute interval.

``harness monitor --once`` over 1, 20 and 100 emulated targets of mixed vendors, each
target its own emulator instance (its own account: no shared rate limit), served by one
process per vendor, **with real throttling** (no virtual clock: the monitor waits as it
would on live targets, e.g. ~60 s for Turris' token window and ~30 s for Trackops' one
request per second).

- single-target cycles: each vendor alone; a cycle of many targets cannot end before
  its slowest target, so the 100-target cycle is compared with the slowest single one
  (goal: at most 3x), and per vendor, the median target of the 100-target cycle with
  the same vendor alone (how much a crowd slows each target down);
- capacity: one process is bound by one core (the GIL), so targets per 5 minutes =
  300 s / the CPU seconds one more target costs (measured between the 20- and
  100-target runs), as long as the slowest target fits in the interval;
- peak memory: the monitor process's VmHWM, and what one more target adds.

Each monitor runs in its own process through ``--run-monitor`` (which reports its own
peak RSS and CPU time); emulators run in other processes.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

INTERVAL = 300.0
SIZES = (20, 100)
ROOT = Path(__file__).resolve().parents[1]


def _serve(vendor: str, count: int, folder: Path) -> None:
    """Child process: ``count`` instances of one vendor's emulator, one target file each."""
    import tomllib

    import tomli_w

    from harness.emulators import make_tls, start_emulator

    tls = make_tls(folder / f"tls-{vendor}")
    running = []
    for i in range(count):
        emu = start_emulator(vendor, tls=tls)
        running.append(emu)
        path = emu.write_target(folder / f"{vendor}-{i:03d}.toml")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        data["name"] = f"{vendor} tenant {i:03d}"
        data["allow"] = {"writes": False, "exhaustion": False, "clock_control": False}
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
    (folder / f"{vendor}.ready").write_text("ok", encoding="utf-8")
    while True:
        time.sleep(3600)


def _run_monitor(report: Path, argv: list[str]) -> int:
    """Child process: ``harness monitor`` in this process, then its own peak RSS and CPU."""
    from harness._cli_monitor import main

    started = time.monotonic()
    code = main(argv)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    report.write_text(
        json.dumps(
            {
                "exit_code": code,
                "wall_seconds": time.monotonic() - started,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_rss_mb": peak_kb / 1024,
            }
        ),
        encoding="utf-8",
    )
    return 0


def _monitor(files: list[Path], folder: Path, label: str) -> dict[str, Any]:
    db = f"sqlite:///{folder / f'history-{label}.sqlite'}"
    report = folder / f"report-{label}.json"
    argv = ["monitor", "--once", "--db", db, *[a for f in files for a in ("--target-file", str(f))]]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.monitor_capacity", "--run-monitor", str(report), *argv],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not report.is_file():
        raise RuntimeError(f"monitor run {label} failed: {done.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    out["process_seconds"] = time.monotonic() - started
    out["targets"] = len(files)
    out["per_target_seconds"] = _durations(db)
    return out


def _durations(db: str) -> dict[str, float]:
    import sqlalchemy as sa

    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT target, finished_at - started_at FROM monitor_records")
            )
            return {str(r[0]): float(r[1]) for r in rows}
    finally:
        engine.dispose()


def measure() -> dict[str, Any]:
    from harness._resources import vendor_names

    vendors = vendor_names()
    per_vendor = max(SIZES) // len(vendors)
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-monitor-"))
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.monitor_capacity", "--serve", v, str(per_vendor),
             str(folder)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        for v in vendors
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not all((folder / f"{v}.ready").is_file() for v in vendors):
            if time.monotonic() > deadline or any(s.poll() is not None for s in servers):
                raise RuntimeError("the emulator processes did not start")
            time.sleep(0.2)
        files = {v: sorted(folder.glob(f"{v}-*.toml")) for v in vendors}
        singles = {v: _monitor(files[v][:1], folder, f"1-{v}") for v in vendors}
        runs = {}
        for size in SIZES:
            mixed = [files[v][i] for i in range(size // len(vendors)) for v in vendors]
            runs[size] = _monitor(mixed, folder, str(size))
    finally:
        for server in servers:
            server.kill()
            server.wait()
    return _figures(singles, runs)


def _figures(singles: dict[str, dict[str, Any]], runs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    small, large = runs[min(SIZES)], runs[max(SIZES)]
    slowest = max(singles.values(), key=lambda r: r["wall_seconds"])
    extra = max(large["targets"] - small["targets"], 1)
    cpu_per_target = max((large["cpu_seconds"] - small["cpu_seconds"]) / extra, 1e-6)
    rss_per_target = (large["peak_rss_mb"] - small["peak_rss_mb"]) / extra
    capacity = int(INTERVAL / cpu_per_target) if slowest["wall_seconds"] < INTERVAL else 0
    slowdown = {}
    for vendor, single in singles.items():
        crowd = [s for t, s in large["per_target_seconds"].items() if t.startswith(f"{vendor} ")]
        alone = next(iter(single["per_target_seconds"].values()))
        slowdown[vendor] = round(statistics.median(crowd) / max(alone, 1e-6), 2)
    return {
        "single_target_seconds": {v: round(r["wall_seconds"], 2) for v, r in singles.items()},
        "cycle_seconds": {str(n): round(r["wall_seconds"], 2) for n, r in runs.items()},
        "exit_codes": {str(n): r["exit_code"] for n, r in runs.items()},
        "ratio_100_to_slowest_single": round(large["wall_seconds"] / slowest["wall_seconds"], 2),
        "per_target_slowdown_in_100": slowdown,
        "cpu_seconds": {str(n): round(r["cpu_seconds"], 2) for n, r in runs.items()},
        "cpu_ms_per_extra_target": round(cpu_per_target * 1000, 1),
        "peak_rss_mb": {str(n): round(r["peak_rss_mb"], 1) for n, r in runs.items()},
        "rss_mb_per_extra_target": round(rss_per_target, 2),
        "capacity_per_5min": capacity,
        "goal": {"ratio_at_most": 3.0, "capacity_at_least": 200},
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve"]:
        _serve(argv[1], int(argv[2]), Path(argv[3]))
        return 0
    if argv[:1] == ["--run-monitor"]:
        return _run_monitor(Path(argv[1]), argv[2:])
    figures = measure()
    print(json.dumps(figures, indent=2))
    print(
        f"capacity of one process in a 5-minute interval: ~{figures['capacity_per_5min']} targets "
        f"(goal >= 200); 100-target cycle / slowest single: "
        f"{figures['ratio_100_to_slowest_single']} (goal <= 3); peak RSS at 100 targets: "
        f"{figures['peak_rss_mb']['100']} MB"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main(sys.argv[1:]))
