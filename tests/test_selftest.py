"""`harness selftest`, the whole of it, side by side on every core: every fault of the
catalog detected on its own clause and on no other, the clean emulators (lenient, and
strict where a fault is proven strictly) silent, and per vendor the line
``proven N/M clauses, detected F/F faults``."""

from __future__ import annotations

import re

import pytest

from harness.emulators import fault_catalog
from harness.selftest import SelftestOutcome, available_workers, load_plan, selftest


@pytest.fixture(scope="module")
def outcome() -> SelftestOutcome:
    return selftest(jobs=available_workers())


def test_the_clean_emulators_give_no_finding_and_no_harness_error(outcome: SelftestOutcome) -> None:
    assert outcome.clean, "no clean run was proven"
    noisy = {c.label: [*(i.describe() for i in c.findings), *c.errors] for c in outcome.clean}
    assert {label: lines for label, lines in noisy.items() if lines} == {}


def test_the_strict_clean_runs_are_proven_where_a_fault_is_proven_strictly(
    outcome: SelftestOutcome,
) -> None:
    strict_vendors = {v.vendor for v in outcome.faults if v.strict}
    assert {c.vendor for c in outcome.clean if c.strict} == strict_vendors


def test_every_fault_is_detected_on_its_clause_and_nowhere_else(outcome: SelftestOutcome) -> None:
    failures = [line for verdict in outcome.faults for line in verdict.problems()]
    assert failures == [], "\n".join(failures)
    assert outcome.perfect


def test_every_fault_of_the_catalog_is_proven(outcome: SelftestOutcome) -> None:
    catalog = {(v, f.name) for v, faults in fault_catalog().items() for f in faults}
    assert {(v.vendor, v.fault) for v in outcome.faults} == catalog


def test_subtle_faults_are_detected_like_the_blunt_ones(outcome: SelftestOutcome) -> None:
    subtle = [v for v in outcome.faults if v.subtle]
    assert subtle, "no fault breaks its rule on some responses only"
    assert [v.fault for v in subtle if not v.ok] == []


def test_each_vendor_says_how_many_clauses_are_proven_and_faults_detected(
    outcome: SelftestOutcome,
) -> None:
    text = outcome.summary()
    for vendor, plan in load_plan().items():
        faults = len(plan.faults)
        line = re.search(
            rf"^{vendor}: proven (\d+)/{len(plan.checked)} clauses, "
            rf"detected {faults}/{faults} faults",
            text,
            re.MULTILINE,
        )
        assert line, f"no line for {vendor} in:\n{text}"
        assert int(line.group(1)) == len(plan.faulted)


def test_every_checked_clause_has_a_fault_or_a_written_reason(outcome: SelftestOutcome) -> None:
    assert outcome.uncovered == {}


def test_at_least_two_hundred_faults_and_twenty_subtle_ones(outcome: SelftestOutcome) -> None:
    assert len(outcome.faults) >= 200
    assert sum(1 for v in outcome.faults if v.subtle) >= 20
