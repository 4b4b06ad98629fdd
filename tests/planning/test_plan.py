"""``harness plan`` measures what a run would send, and a live run over budget is refused.

For every vendor the plan of a live-mode target (read-only, its budget) is compared with
the requests a live-mode run against an emulator then sends, counted by the emulator
(``/__emulator__/stats``): within 10%. The run's throttle waits advance the emulator's
virtual clock instead of sleeping, so the test takes seconds, not the hour a throttled
live run may take.
"""

from __future__ import annotations

import json
import ssl
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from harness._resources import vendor_names
from harness.checks import SessionOptions
from harness.cli import main
from harness.emulators import RunningEmulator
from harness.emulators._base import Stats
from harness.engine import EmulatorClock, EventBus, TargetRun, plan_target
from harness.planning import estimate
from harness.ratelimit import Clock
from harness.targets import load_target
from tests.support.all_emulators import running_emulators

VENDORS = vendor_names()
TOLERANCE = 0.10


@pytest.fixture(scope="module")
def emulators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningEmulator]]:
    with running_emulators(VENDORS, tmp_path_factory.mktemp("tls")) as running:
        yield running


def _live(emu: RunningEmulator, folder: Path, **extra: Any) -> Path:
    path = emu.write_target(folder / f"{emu.vendor}-live.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.update(mode="live", name=f"{emu.vendor} production", allow={}, **extra)
    data.setdefault("budget", {"max_requests": 5000})
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


class FastForward:
    """A client clock whose waits advance the emulator's virtual clock: the throttle
    still paces requests as the target sees them, with no real sleep."""

    def __init__(self, emulator: EmulatorClock) -> None:
        self.emulator = emulator

    def now(self) -> float:
        return self.emulator.now()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.emulator.advance(seconds)


def _live_run_requests(emu: RunningEmulator, path: Path) -> int:
    """Requests a live-mode run of the target file sends, counted by the emulator."""
    target = load_target(path, environ={})
    verify = ssl.create_default_context(cafile=str(target.ca_bundle))

    def clock(_: Clock) -> Clock:
        return FastForward(EmulatorClock(emu.origin, verify))

    emu.ctx.stats = Stats()
    run = TargetRun(
        plan_target(target), EventBus(()), options=SessionOptions(), clock_wrapper=clock
    )
    try:
        run.run_all()
    finally:
        run.close()
    assert run.failure is None, run.failure
    return emu.ctx.stats.requests


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_plan_matches_what_a_live_mode_run_then_sends(
    vendor: str, emulators: dict[str, RunningEmulator], tmp_path: Path
) -> None:
    path = _live(emulators[vendor], tmp_path)
    planned = estimate(load_target(path, environ={}))
    sent = _live_run_requests(emulators[vendor], path)
    assert sent > 0 and planned.requests > 0
    assert abs(planned.requests - sent) <= TOLERANCE * sent, (
        f"{vendor}: planned {planned.requests} requests, the live-mode run sent {sent}"
    )
    assert planned.writes == 0, f"{vendor}: a read-only plan counts {planned.writes} writes"
    assert not planned.over_budget


def test_the_plan_of_a_trimmed_inventory_is_smaller_and_names_no_dropped_operation(
    emulators: dict[str, RunningEmulator], tmp_path: Path
) -> None:
    vendor = "turitop"
    full = estimate(load_target(_live(emulators[vendor], tmp_path), environ={}))
    reads = [c.operation for c in full.running if c.operation]
    dropped = max(set(reads), key=reads.count)  # the operation most checks run on
    trimmed_path = _live(emulators[vendor], tmp_path, inventory={"exclude": [dropped]})
    trimmed = estimate(load_target(trimmed_path, environ={}))
    assert dropped not in {c.operation for c in trimmed.checks}
    assert trimmed.requests < full.requests


def test_harness_plan_prints_checks_requests_writes_budget_and_time(
    emulators: dict[str, RunningEmulator], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _live(emulators["trackops"], tmp_path, budget={"max_requests": 400, "throttle": 0.5})
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("trackops production (live)")
    assert "pagination.exactly-once" in out and "clients.list" in out
    total = out.strip().splitlines()[-1]
    assert "requests, 0 writes; budget 400 (within budget)" in total, total
    # Trackops allows one request a second: at half of it, every request waits ~2 s
    assert "min at throttle 0.5 of 1 requests per 1 s" in total, total


def test_harness_plan_as_json_says_when_a_plan_exceeds_its_budget(
    emulators: dict[str, RunningEmulator], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _live(emulators["turitop"], tmp_path, budget={"max_requests": 5})
    assert main(["plan", "--target-file", str(path), "--format", "json"]) == 1
    [plan] = json.loads(capsys.readouterr().out)
    assert plan["over_budget"] and plan["budget"] == 5 and plan["requests"] > 5
    assert sum(c["requests"] for c in plan["checks"]) == plan["requests"]


def test_a_live_run_whose_plan_exceeds_the_budget_is_refused_before_any_request(
    emulators: dict[str, RunningEmulator], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = emulators["itrp"]
    path = _live(emu, tmp_path, budget={"max_requests": 20})
    emu.ctx.stats = Stats()
    results = tmp_path / "results.json"
    code = main(["run", "--target-file", str(path), "--results", str(results), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert "the plan exceeds the request budget (itrp production needs about" in err, err
    assert "--over-budget" in err and len(err.strip().splitlines()) == 1, err
    assert emu.ctx.stats.requests == 0, "the refused run reached the target"

    code = main(
        ["run", "--target-file", str(path), "--results", str(results), "-q", "--over-budget"]
    )
    capsys.readouterr()
    assert code == 2  # stopped at the budget: partial
    assert 0 < emu.ctx.stats.requests <= 20
