"""The rate-limit checks against the emulators: silent on the clean ones, each fault of the
concern found on its own clause, and the target left usable after its limits were driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.checks import CheckContext, TargetSession
from harness.checks._ops import call
from harness.checks.ratelimit_exhaust import EXHAUST_KEY, Probe
from harness.client import Exchange
from harness.emulators import make_tls, start_emulator
from harness.emulators._server import TLSFiles
from harness.engine import open_session, planned_checks, run_check
from harness.selftest import selftest
from harness.targets import load_target

# faults of the rate-limit concern, per vendor (harness faults)
FAULTS = {"itrp": 2, "toptickets": 1, "trackops": 1, "turitop": 1, "turris": 1}


@pytest.mark.parametrize("vendor", ["toptickets", "trackops", "turitop", "turris"])
def test_rate_limit_checks_are_silent_when_clean_and_find_each_fault_on_its_clause(
    vendor: str,
) -> None:
    outcome = selftest((vendor,), concerns=("ratelimit",))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == FAULTS[vendor]


def test_itrp_rate_limit_checks_are_silent_when_clean_and_find_each_fault_on_its_clause() -> None:
    """Slowest of all: three runs of 3601 requests each (the hourly limit and one more)."""
    outcome = selftest(("itrp",), concerns=("ratelimit",))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == FAULTS["itrp"]


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.mark.parametrize("vendor", ["trackops", "turitop", "turris"])
def test_after_driving_every_limit_the_target_still_serves_normal_calls(
    vendor: str, tmp_path: Path, tls: TLSFiles
) -> None:
    emu = start_emulator(vendor, tls=tls)
    try:
        session = open_session(load_target(emu.write_target(tmp_path / "t.toml"), environ={}))
        try:
            plan = planned_checks(session, ("ratelimit",))
            results = [run_check(session, spec, op) for spec, op in plan]
            assert {r.outcome for r in results} == {"passed"}, [r.reason for r in results]
            probes: list[Probe] = session.cache[EXHAUST_KEY]
            ran = [p for p in probes if not p.skipped]
            assert ran and all(p.refused_at == p.rule.requests + 1 for p in ran)
            assert _main_call(session).status == 200
        finally:
            session.client.close()
            close = getattr(session.client.clock, "close", None)
            if close is not None:
                close()
    finally:
        emu.stop()


def _main_call(session: TargetSession) -> Exchange:
    ctx = CheckContext(session=session, check="after")
    return call(ctx, session.profile.main_operation)
