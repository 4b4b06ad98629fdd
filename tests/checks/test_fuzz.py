"""The fuzz checks against the emulators: nothing on the clean ones, each fuzz-covered fault
found on its own clause (and on no other), the schemathesis check finding TopTickets
faults by itself, and the same requests on every run."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness.checks import TargetSession, get_check
from harness.emulators import make_tls, start_emulator
from harness.emulators._server import TLSFiles
from harness.engine import CheckResult, open_session, run_check
from harness.profiles import load_profile
from harness.selftest import selftest
from harness.targets import load_target

# vendor -> faults of clauses the fuzz checks are linked to (all of them detected)
FAULTS = {
    "itrp": 3,
    "toptickets": 4,
    "trackops": 2,
    "turitop": 1,
    "turris": 2,
}


@pytest.fixture(scope="module")
def tls() -> TLSFiles:
    return make_tls(Path(tempfile.mkdtemp(prefix="fuzz-tls-")))


@contextmanager
def emulated(
    tls: TLSFiles, vendor: str, faults: tuple[str, ...] = (), max_examples: int | None = None
) -> Iterator[TargetSession]:
    emu = start_emulator(vendor, faults=faults, tls=tls)
    try:
        folder = Path(tempfile.mkdtemp(prefix="fuzz-target-"))
        session = open_session(load_target(emu.write_target(folder / "t.toml"), environ={}))
        if max_examples is not None:
            session.cache["max_examples"] = max_examples
        try:
            yield session
        finally:
            session.client.close()
            close = getattr(session.client.clock, "close", None)
            if close is not None:
                close()
    finally:
        emu.stop()


def _run(session: TargetSession, check: str, op_id: str | None = None) -> CheckResult:
    op = session.profile.operation(op_id) if op_id else None
    return run_check(session, get_check(check), op)


@pytest.mark.parametrize("vendor", sorted(FAULTS))
def test_the_fuzz_checks_find_each_fuzz_fault_on_its_clause_and_nothing_when_clean(
    vendor: str,
) -> None:
    outcome = selftest((vendor,), concerns=("fuzz",))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == FAULTS[vendor]


@pytest.mark.parametrize(
    ("fault", "clause"),
    [
        ("toptickets-error-key", "TOP-ERR-DETAIL"),
        ("toptickets-bad-enum-filter-200", "TOP-DATA-ENUM-422"),
        ("toptickets-list-wrapped", "TOP-ENV-LIST"),
    ],
)
def test_the_schemathesis_check_alone_finds_a_toptickets_fault_on_its_clause(
    tls: TLSFiles, fault: str, clause: str
) -> None:
    with emulated(tls, "toptickets", (fault,)) as session:
        result = _run(session, "fuzz.openapi")
    assert result.outcome == "failed", result.reason
    assert {f.clause for f in result.findings} == {clause}
    assert all(f.evidence and f.evidence[0].status for f in result.findings)


def test_the_schemathesis_check_passes_on_the_clean_toptickets_emulator(tls: TLSFiles) -> None:
    with emulated(tls, "toptickets", max_examples=10) as session:
        result = _run(session, "fuzz.openapi")
    assert result.outcome == "passed", result.findings or result.reason
    assert result.requests > 10


def _requests(result: CheckResult, origin: str) -> list[tuple[str, str, bytes]]:
    return [(x.method, x.url.removeprefix(origin), x.request_body) for x in result.exchanges]


def test_the_same_requests_are_generated_on_every_run(tls: TLSFiles) -> None:
    runs = []
    for _ in range(2):
        with emulated(tls, "toptickets", max_examples=12) as session:
            origin = session.target.base_url
            generic = _run(session, "fuzz.documented-status", "tickets.list")
            schemathesis = _run(session, "fuzz.openapi")
            runs.append((_requests(generic, origin), _requests(schemathesis, origin)))
    assert runs[0] == runs[1]
    generic_requests, openapi_requests = runs[0]
    assert len(generic_requests) == 12
    assert any("limit=0" in url for _, url, _ in generic_requests)
    assert len(openapi_requests) > 12


def test_max_examples_bounds_the_requests_per_operation(tls: TLSFiles) -> None:
    with emulated(tls, "turris", max_examples=4) as session:
        result = _run(session, "fuzz.documented-status", "agencies.get")
    fuzzed = [x for x in result.exchanges if x.operation == "agencies.get"]
    assert len(fuzzed) == 4  # besides them: the token grant and the list read for a real id


def test_write_bodies_are_created_and_deleted_again(tls: TLSFiles) -> None:
    with emulated(tls, "toptickets") as session:
        result = _run(session, "fuzz.write-bodies")
    assert result.outcome == "passed", result.findings or result.reason
    created = [x for x in result.exchanges if x.method == "POST" and x.status == 201]
    deleted = [x for x in result.exchanges if x.method == "DELETE" and x.status == 204]
    refused = [x for x in result.exchanges if x.status == 422]
    assert created and len(deleted) == len(created)
    assert refused


def test_every_vendor_has_fuzzed_operations() -> None:
    from harness.checks.fuzz_run import fuzzable

    for vendor in FAULTS:
        assert any(fuzzable(op) for op in load_profile(vendor).operations), vendor
