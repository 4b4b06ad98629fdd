"""The harness's cost per request against bare httpx: same request, same emulator.

The harness path is the whole path a check's request takes in a run: a check run by the
engine's :class:`~harness.engine.TargetRun` sends it through the target's HarnessClient
(auth flow, throttle, budget, read-only guard, recording), parses and validates the
body, and the exchange travels as an event to the run's listeners: the progress display
of ``harness run`` (the headline figure), and also the Allure writer of ``harness run
--report``, which writes each case with a redacted request and response attachment per
exchange (a check has at most :data:`PER_CHECK` exchanges here, so every one is
attached). The bare path is ``httpx.Client`` sending the same request with the same
headers and parsing the JSON body. The emulator runs in its own process; every client
keeps one connection open; batches alternate so all paths share the machine's noise,
and the median batch is reported.
"""

from __future__ import annotations

import io
import ssl
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from benchmarks.emulator_throughput import _serve
from harness.catalog import load_clauses
from harness.checks import CheckContext, CheckSpec, SessionOptions
from harness.engine import CaseKey, EventBus, Listener, PlannedCheck, TargetPlan, TargetRun
from harness.reporting.allure_results import AllureWriter
from harness.reporting.progress import PlainProgress
from harness.targets import Target, load_target

PATH = "/tickets"
PARAMS = {"limit": 20}
SCHEMA = "ticket-list.schema.json"
PER_CHECK = 10  # requests per benchmark check: every exchange gets its Allure attachment


def _check(number: int) -> CheckSpec:
    def send(ctx: CheckContext) -> None:
        for _ in range(PER_CHECK):
            exchange = ctx.client.request("GET", PATH, params=PARAMS)
            if ctx.validate(SCHEMA, exchange.json()):
                ctx.finding("invalid page", "the page does not match its schema", exchange)

    return CheckSpec(
        name=f"benchmark.request-{number}",
        concern="vendor",
        doc="sends the benchmark's requests",
        func=send,
        applies=lambda profile: None,
        per_operation=None,
        needs=frozenset(),
        health=False,
        order=0,
    )


def _plan(target: Target, checks: int) -> TargetPlan:
    """``checks`` benchmark checks, each deciding its own case (one Allure result each)."""
    clause = load_clauses(target.vendor)[0]
    planned = [PlannedCheck(_check(i), None) for i in range(checks)]
    cases = {
        CaseKey(replace(clause, id=f"{clause.id}-{i}"), None): [item]
        for i, item in enumerate(planned)
    }
    return TargetPlan(target, planned, cases)


class _Path:
    """One harness path: a target run whose checks send the requests, with listeners."""

    def __init__(self, target: Target, checks: int, listeners: list[Listener]) -> None:
        plan = _plan(target, checks)
        self.bus = EventBus(listeners, background=True)
        self.run = TargetRun(plan, self.bus, options=SessionOptions())
        self.checks: Iterator[PlannedCheck] = iter(plan.checks)
        self.times: list[float] = []

    def batch(self, checks: int, requests: int) -> None:
        start = time.perf_counter()
        for _ in range(checks):
            result = self.run.run_check(next(self.checks))
            assert result.outcome == "passed", result.reason
        self.bus.flush()  # every listener has done its part for these requests
        self.times.append((time.perf_counter() - start) / requests)

    def close(self) -> None:
        self.run.close()
        self.bus.close()


def measure(n: int = 600, rounds: int = 6) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    proc, target_file, _ = _serve("toptickets", folder)
    try:
        target = load_target(target_file, environ={})
        batch = max(PER_CHECK, n // rounds // PER_CHECK * PER_CHECK)
        checks = batch // PER_CHECK
        progress: Listener = PlainProgress(io.StringIO())
        paths = {
            "run": _Path(target, checks * rounds + 1, [progress]),
            "report": _Path(target, checks * rounds + 1, [AllureWriter(folder / "allure-results")]),
        }
        context = ssl.create_default_context(cafile=str(target.ca_bundle))
        headers = {"Authorization": f"Bearer {target.credentials['api_key']}"}
        url = target.base_url + PATH
        bare_times: list[float] = []
        with httpx.Client(verify=context, timeout=10) as bare:
            bare.get(url, params=PARAMS, headers=headers).json()
            for path in paths.values():  # warm up: connection, token, validators
                path.batch(1, PER_CHECK)
                path.times.clear()
            for _ in range(rounds):
                start = time.perf_counter()
                for _ in range(batch):
                    bare.get(url, params=PARAMS, headers=headers).json()
                bare_times.append((time.perf_counter() - start) / batch)
                for path in paths.values():
                    path.batch(checks, batch)
        for path in paths.values():
            path.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bare_ms = statistics.median(bare_times) * 1000
    run_ms = statistics.median(paths["run"].times) * 1000
    report_ms = statistics.median(paths["report"].times) * 1000
    return {
        "request": f"GET {PATH}?limit=20 (toptickets emulator in its own process, keep-alive TLS)",
        "requests_per_path": batch * rounds,
        "bare_httpx_ms": round(bare_ms, 3),
        "harness_ms": round(run_ms, 3),
        "ratio": round(run_ms / bare_ms, 3),
        "with_allure_ms": round(report_ms, 3),
        "with_allure_ratio": round(report_ms / bare_ms, 3),
        "allure_attachments": len(list((folder / "allure-results").glob("*-attachment.*"))),
    }
