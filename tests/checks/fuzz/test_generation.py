"""Generating the fuzz requests: deterministic, bounded by ``max_examples``, the same on
every run (the generic checks' and schemathesis')."""

from __future__ import annotations

import json
from pathlib import Path

from harness.checks.fuzz.generation import probes
from harness.checks.fuzz.parameters import op_params
from harness.emulators._server import TLSFiles
from harness.engine import CheckResult
from tests.checks.fuzz._sessions import emulated, run, scripted_context


def test_generation_is_deterministic_and_bounded(tmp_path: Path) -> None:
    with scripted_context(tmp_path, "toptickets", "fuzz.documented-status") as ctx:
        op = ctx.profile.operation("tickets.list")
        params = op_params(ctx, op)
        first = probes(ctx, op, params, {}, 25)
        second = probes(ctx, op, params, {}, 25)
    assert first == second
    assert len(first) == 25
    assert len({json.dumps(p, sort_keys=True) for p in first}) == 25
    assert {"limit": 0} in first and {"status": "harness-not-a-status"} in first


def _requests(result: CheckResult, origin: str) -> list[tuple[str, str, bytes]]:
    return [(x.method, x.url.removeprefix(origin), x.request_body) for x in result.exchanges]


def test_the_same_requests_are_generated_on_every_run(tls: TLSFiles) -> None:
    runs = []
    for _ in range(2):
        with emulated(tls, "toptickets", max_examples=12) as session:
            origin = session.target.base_url
            generic = run(session, "fuzz.documented-status", "tickets.list")
            schemathesis = run(session, "fuzz.openapi")
            runs.append((_requests(generic, origin), _requests(schemathesis, origin)))
    assert runs[0] == runs[1]
    generic_requests, openapi_requests = runs[0]
    assert len(generic_requests) == 12
    assert any("limit=0" in url for _, url, _ in generic_requests)
    assert len(openapi_requests) > 12


def test_max_examples_bounds_the_requests_per_operation(tls: TLSFiles) -> None:
    with emulated(tls, "turris", max_examples=4) as session:
        result = run(session, "fuzz.documented-status", "agents.get")
    fuzzed = [x for x in result.exchanges if x.operation == "agents.get"]
    assert len(fuzzed) == 4  # besides them: the token grant and the list read for a real id


def test_the_requests_of_an_operation_are_sent_once_for_every_fuzz_check(tls: TLSFiles) -> None:
    with emulated(tls, "turris", max_examples=4) as session:
        first = run(session, "fuzz.documented-status", "agents.get")
        second = run(session, "fuzz.error-bodies", "agents.get")
    assert first.requests > 0
    assert second.requests == 0
