"""The harness's fuzz suite against the schemathesis CLI, on a fair basis, on TopTickets.

Both tools run as whole commands from process start against their own fresh TopTickets
emulator (its own process), on the same operations (every operation of the vendor's
OpenAPI document) with the same example budget per operation; requests are counted at
the emulator (``/__emulator__/stats``), not by either tool.

- **Throughput**: ``python -m benchmarks.fuzz_suite`` (every check of the harness's fuzz
  concern, ``--max-examples N``) against ``st run --checks all -n N``: requests per
  second of the whole command.
- **Detection**: for each emulator fault, whether each tool finds it and after how many
  seconds from process start. The harness finds a fault when a finding names the fault's
  clause; schemathesis when it reports a failure (check and operation) that it does not
  report against the clean emulator. ``st run --checks all`` gets the time the harness
  took on that fault as its budget (``--max-time``); a fault is *generic* when an OpenAPI
  document can describe what it breaks (a response's schema or shape, a status, a media
  type), so that a generic fuzzer can see it at all.
"""

from __future__ import annotations

import json
import math
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks._commands import user_env, warm_bytecode
from harness.emulators import vendor_module
from harness.targets import Target, load_target

VENDOR = "toptickets"
EXAMPLES = 25
SEED = 1
# What each fault breaks, and whether an OpenAPI document describes it (a generic fuzzer
# can only see what the document describes); every fault of the emulator is listed.
FAULT_KINDS = {
    "toptickets-list-wrapped": ("list shape", True),
    "toptickets-timestamps-plus-offset": ("timestamp format (schema pattern)", True),
    "toptickets-delete-200-body": ("status of a delete", True),
    "toptickets-error-key": ("error body schema", True),
    "toptickets-bad-enum-filter-200": ("status for an invalid enum value", True),
    "toptickets-offset-skips-one": ("paging semantics", False),
    "toptickets-limit-capped-100": ("paging semantics", False),
    "toptickets-filters-or": ("filter semantics", False),
    "toptickets-readonly-write-401": ("status for a second, read-only key", False),
    "toptickets-429-no-retry-after": ("header of a 429 after 2,000 requests a minute", False),
}
_ST_CONFIG = '[auth.openapi.bearerAuth]\nbearer = "${BENCH_KEY}"\n'


@contextmanager
def _emulator(folder: Path, fault: str | None) -> Iterator[Target]:
    name = fault or "clean"
    args = ["--fault", fault] if fault else []
    target_file = folder / f"{name}.toml"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "emulate",
            VENDOR,
            *args,
            "--target-file",
            str(target_file),
            "--tls-dir",
            str(folder / "tls"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=user_env(PYTHONUNBUFFERED="1"),
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("CA:"):
                break
        yield load_target(target_file, environ={})
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _requests(target: Target) -> int:
    """Requests the emulator has answered so far (its own count)."""
    context = ssl.create_default_context(cafile=str(target.ca_bundle))
    with urllib.request.urlopen(f"{target.origin}/__emulator__/stats", context=context) as r:
        return int(json.load(r)["requests"])


def _harness(target: Target, folder: Path, name: str) -> dict[str, Any]:
    out = folder / f"harness-{name}.json"
    before = _requests(target)
    started = time.time()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.fuzz_suite",
            str(target.path or ""),
            str(out),
            "--max-examples",
            str(EXAMPLES),
        ],
        check=True,
        capture_output=True,
        timeout=1800,
        env=user_env(),
    )
    wall = time.time() - started
    data = json.loads(out.read_text())
    return {
        "seconds": round(wall, 2),
        "requests": _requests(target) - before,
        "found": {clause: round(at - started, 2) for clause, at in data["found"].items()},
        "errors": data["errors"],
    }


def _schemathesis(
    target: Target, folder: Path, name: str, max_time: int | None = None
) -> dict[str, Any]:
    config = folder / "schemathesis.toml"
    config.write_text(_ST_CONFIG, encoding="utf-8")
    reports = folder / f"st-{name}"
    budget = ["--max-time", str(max_time)] if max_time else []
    before = _requests(target)
    started = time.time()
    subprocess.run(
        [
            str(Path(sys.executable).with_name("st")),
            "--config-file",
            str(config),
            "run",
            f"{target.base_url}/openapi.json",
            "--checks",
            "all",
            "-n",
            str(EXAMPLES),
            "--seed",
            str(SEED),
            "--tls-verify",
            str(target.ca_bundle),
            *budget,
            "--report",
            "ndjson",
            "--report-dir",
            str(reports),
        ],
        check=False,
        capture_output=True,
        timeout=1800,
        env=user_env(BENCH_KEY=target.credentials["api_key"]),
    )
    wall = time.time() - started
    return {
        "seconds": round(wall, 2),
        "requests": _requests(target) - before,
        "failures": {k: round(at - started, 2) for k, at in _failures(reports).items()},
    }


def _failures(reports: Path) -> dict[str, float]:
    """Each failure schemathesis reported (``code operation``) and when it first did."""
    first: dict[str, float] = {}
    for path in reports.glob("*.ndjson"):
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, event = next(iter(json.loads(line).items()))
            if kind != "ScenarioFinished" or event.get("status") != "failure":
                continue
            for checks in event["recorder"]["checks"].values():
                for check in checks:
                    failure = (check.get("failure_info") or {}).get("failure")
                    if check.get("status") == "success" or not failure:
                        continue
                    key = f"{failure.get('code')} {failure.get('operation')}"
                    first.setdefault(key, event["timestamp"])
    return first


def measure() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-fuzz-"))
    warm_bytecode()
    faults = {f.name: f.clause for f in vendor_module(VENDOR).FAULTS}
    unknown = set(faults) ^ set(FAULT_KINDS)
    if unknown:
        raise RuntimeError(f"classify every {VENDOR} fault in FAULT_KINDS: {sorted(unknown)}")
    with _emulator(folder, None) as target:
        h_clean = _harness(target, folder, "clean")
    with _emulator(folder, None) as target:
        s_clean = _schemathesis(target, folder, "clean")
    budget = math.ceil(h_clean["seconds"])
    with _emulator(folder, None) as target:
        s_baseline = _schemathesis(target, folder, "baseline", max_time=budget)
    known = set(s_baseline["failures"]) | set(s_clean["failures"])
    rows = []
    for fault, clause in faults.items():
        kind, visible = FAULT_KINDS[fault]
        with _emulator(folder, fault) as target:
            h = _harness(target, folder, fault)
        with _emulator(folder, fault) as target:
            s = _schemathesis(target, folder, fault, max_time=math.ceil(h["seconds"]))
        new = {k: at for k, at in s["failures"].items() if k not in known}
        rows.append(
            {
                "fault": fault,
                "clause": clause,
                "breaks": kind,
                "generic": visible,
                "harness_found": clause in h["found"],
                "harness_seconds": h["found"].get(clause),
                "harness_command_seconds": h["seconds"],
                "schemathesis_found": bool(new),
                "schemathesis_seconds": min(new.values()) if new else None,
                "schemathesis_command_seconds": s["seconds"],
                "schemathesis_failures": sorted(new),
            }
        )
    generic = [r for r in rows if r["generic"]]
    h_rate = h_clean["requests"] / h_clean["seconds"]
    s_rate = s_clean["requests"] / s_clean["seconds"]
    return {
        "vendor": VENDOR,
        "max_examples": EXAMPLES,
        "harness": {k: h_clean[k] for k in ("seconds", "requests")},
        "schemathesis": {k: s_clean[k] for k in ("seconds", "requests")},
        "harness_requests_per_second": round(h_rate, 1),
        "schemathesis_requests_per_second": round(s_rate, 1),
        "throughput_ratio": round(h_rate / s_rate, 2),
        "false_positives": {"harness": h_clean["found"], "schemathesis": sorted(known)},
        "generic_faults": len(generic),
        "generic_found": {
            "harness": sum(r["harness_found"] for r in generic),
            "schemathesis": sum(r["schemathesis_found"] for r in generic),
        },
        "seconds_to_find_generic": {
            "harness": _total(generic, "harness_seconds"),
            "schemathesis": _total(generic, "schemathesis_seconds"),
        },
        "detection_seconds_ratio": _ratio(generic),
        "detection": rows,
        "note": (
            "whole commands from process start; requests counted at the emulator; "
            "schemathesis given the harness's time on each fault as --max-time"
        ),
    }


def _ratio(rows: list[dict[str, Any]]) -> float | None:
    """Harness seconds / schemathesis seconds to find the generic faults both found."""
    h, s = _total(rows, "harness_seconds"), _total(rows, "schemathesis_seconds")
    return round(h / s, 2) if h is not None and s else None


def _total(rows: list[dict[str, Any]], key: str) -> float | None:
    """Seconds to find every generic fault both tools found (None when none)."""
    both = [r for r in rows if r["harness_found"] and r["schemathesis_found"]]
    return round(sum(r[key] for r in both), 2) if both else None
