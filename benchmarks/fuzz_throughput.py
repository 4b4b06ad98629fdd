"""Fuzz throughput on the TopTickets emulator: the harness's fuzz checks against
schemathesis' own pytest integration on the same OpenAPI document and emulator.

A case is one generated request. The harness figure counts the requests its fuzz checks
send (generated reads and the schemathesis-driven OpenAPI check, all through the harness
client with validation and recording); the schemathesis figure counts the cases its
``@schema.parametrize()`` test executes with ``call_and_validate``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from benchmarks.emulator_throughput import _serve
from harness.checks import load_all
from harness.engine import open_session, run_check
from harness.targets import load_target

EXAMPLES = 25

_SCHEMATHESIS_TEST = """
import json, os, ssl
import schemathesis
from hypothesis import HealthCheck, settings

BASE = os.environ["BENCH_BASE"]
schema = schemathesis.openapi.from_url(BASE + "/openapi.json", verify=os.environ["BENCH_CA"])
schema.config.update(base_url=BASE)
COUNT = [0]

@schema.include(method="GET").parametrize()
@settings(max_examples={examples}, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api(case):
    COUNT[0] += 1
    case.call_and_validate(verify=os.environ["BENCH_CA"],
                           headers={{"Authorization": "Bearer " + os.environ["BENCH_KEY"]}})

def teardown_module(module):
    with open(os.environ["BENCH_COUNT"], "w") as f:
        json.dump(COUNT[0], f)
"""


def _harness(target_file: Path) -> tuple[int, float]:
    target = load_target(target_file, environ={})
    session = open_session(target)
    session.cache["max_examples"] = EXAMPLES
    registry = load_all()
    fuzz = [registry[n] for n in session.clauses if n in registry and registry[n].concern == "fuzz"]
    sent = 0
    start = time.perf_counter()
    for spec in fuzz:
        for op in spec.operations(target.profile):
            result = run_check(session, spec, op)
            sent += result.requests
    elapsed = time.perf_counter() - start
    session.client.close()
    close = getattr(session.client.clock, "close", None)
    if close is not None:
        close()
    return sent, elapsed


def _schemathesis(target_file: Path, folder: Path) -> tuple[int, float]:
    target = load_target(target_file, environ={})
    test = folder / "test_st_bench.py"
    test.write_text(textwrap.dedent(_SCHEMATHESIS_TEST.format(examples=EXAMPLES)))
    count = folder / "count.json"
    env = {
        **os.environ,
        "BENCH_BASE": target.base_url,
        "BENCH_CA": str(target.ca_bundle),
        "BENCH_KEY": target.credentials["api_key"],
        "BENCH_COUNT": str(count),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:harness",
            "-o",
            "addopts=",
            str(test),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # pytest's own session time: loading the schema and running the cases, not the
    # interpreter's start-up
    found = re.findall(r" in ([0-9.]+)s", done.stdout)
    elapsed = float(found[-1]) if found else 0.0
    cases = json.loads(count.read_text()) if count.is_file() else 0
    return int(cases), elapsed


def measure() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    proc, target_file, _ = _serve("toptickets", folder)
    try:
        h_cases, h_seconds = _harness(target_file)
        s_cases, s_seconds = _schemathesis(target_file, folder)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    h_rate = h_cases / h_seconds if h_seconds else 0.0
    s_rate = s_cases / s_seconds if s_seconds else 0.0
    return {
        "max_examples": EXAMPLES,
        "harness_cases": h_cases,
        "harness_seconds": round(h_seconds, 2),
        "harness_cases_per_second": round(h_rate, 1),
        "schemathesis_cases": s_cases,
        "schemathesis_seconds": round(s_seconds, 2),
        "schemathesis_cases_per_second": round(s_rate, 1),
        "ratio": round(h_rate / s_rate, 2) if s_rate else None,
        "note": "schemathesis seconds are pytest's session time (schema load and cases)",
    }
