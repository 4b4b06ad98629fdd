"""Schemathesis over the vendor's OpenAPI document: each fault it can see found by itself on
its clause, nothing on the clean emulator."""

from __future__ import annotations

import pytest

from harness.emulators._server import TLSFiles
from tests.checks.fuzz._sessions import emulated, run


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
        result = run(session, "fuzz.openapi")
    assert result.outcome == "failed", result.reason
    assert {f.clause for f in result.findings} == {clause}
    assert all(f.evidence and f.evidence[0].status for f in result.findings)


def test_the_schemathesis_check_passes_on_the_clean_toptickets_emulator(tls: TLSFiles) -> None:
    with emulated(tls, "toptickets", max_examples=10) as session:
        result = run(session, "fuzz.openapi")
    assert result.outcome == "passed", result.findings or result.reason
    assert result.requests > 10
