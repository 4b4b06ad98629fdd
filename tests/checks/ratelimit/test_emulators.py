"""The rate-limit checks against the emulators: silent on the clean ones, each fault of the
concern found on its own clause, and the target left usable after its limits were driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import CheckContext, TargetSession, load_all
from harness.checks._ops import call
from harness.checks.ratelimit.exhaustion import exhaustion
from harness.client import Exchange
from harness.emulators import make_tls, start_emulator, vendor_module
from harness.emulators._server import TLSFiles
from harness.engine import open_session, planned_checks, run_check
from harness.errors import HarnessError
from harness.profiles import load_profile
from harness.selftest import selftest
from harness.targets import load_target

# every vendor that documents a rate limit (itrp is the slowest of all: three runs of 3601
# requests each, the hourly limit and one more)
RATE_LIMITED = tuple(v for v in vendor_names() if load_profile(v).rate_limit.rules)
# vendors whose every limit is small, so driving them all takes a moment
SMALL_LIMITS = tuple(
    v for v in RATE_LIMITED if max(r.requests for r in load_profile(v).rate_limit.rules) <= 100
)


def _ratelimit_faults(vendor: str) -> list[str]:
    """The emulator's faults that break a clause a rate-limit check verifies."""
    registry = load_all()
    covered = {
        c.id
        for c in load_clauses(vendor)
        if any(n in registry and registry[n].concern == "ratelimit" for n in c.checks)
    }
    return [f.name for f in vendor_module(vendor).FAULTS if f.clause in covered]


def test_some_vendors_document_rate_limits() -> None:
    assert RATE_LIMITED and SMALL_LIMITS


@pytest.mark.parametrize("vendor", RATE_LIMITED)
def test_rate_limit_checks_are_silent_when_clean_and_find_each_fault_on_its_clause(
    vendor: str,
) -> None:
    faults = _ratelimit_faults(vendor)
    assert faults, f"{vendor} should have rate-limit faults to catch"
    outcome = selftest((vendor,), concerns=("ratelimit",))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == len(faults)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.mark.parametrize("vendor", SMALL_LIMITS)
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
            ctx = CheckContext(session=session, check="after")
            assert exhaustion.known(ctx)  # driven once by the checks, not again here
            probes = exhaustion(ctx)
            assert not isinstance(probes, HarnessError)
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
