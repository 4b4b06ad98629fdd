"""Judging proof runs, on made-up results: detected on its clause only, missed, caught on
the wrong clause, collateral listed with its check and clause, a reading fault that lenient
mode must accept, and the per-vendor line ``proven N/M clauses, detected F/F faults``."""

from __future__ import annotations

from harness.emulators import Fault
from harness.emulators._faults import on_errors, replace_header
from harness.selftest import (
    CleanVerdict,
    Issue,
    Job,
    JobResult,
    SelftestOutcome,
    judge_fault,
)
from harness.selftest._verdicts import coverage

FAULT = Fault("acme-bad", "ACME-A", "breaks A")


def ran(*clauses: str, errors: tuple[str, ...] = (), strict: bool = False) -> JobResult:
    found = tuple(Issue(c, f"check.{c.lower()}", "items.list", "wrong") for c in clauses)
    return JobResult(Job("acme", ("x",), strict), found, errors, checks=3, seconds=1.0)


CLEAN = ran()


def test_a_finding_on_the_faults_clause_alone_proves_it() -> None:
    verdict = judge_fault(FAULT, "acme", ran("ACME-A", "ACME-A"), CLEAN)
    assert verdict.detected and verdict.ok and verdict.problems() == []


def test_no_finding_at_all_is_a_miss() -> None:
    verdict = judge_fault(FAULT, "acme", ran(), CLEAN)
    assert not verdict.ok
    assert verdict.problems() == ["missed: acme-bad (breaks ACME-A): no finding on ACME-A"]


def test_findings_only_on_another_clause_are_caught_on_the_wrong_clause() -> None:
    verdict = judge_fault(FAULT, "acme", ran("ACME-B"), CLEAN)
    lines = verdict.problems()
    assert lines[0] == "wrong clause: acme-bad (breaks ACME-A) was caught only on ACME-B"
    assert "    ACME-B by check.acme-b [items.list]: wrong" in lines


def test_collateral_findings_are_listed_with_their_check_and_clause() -> None:
    verdict = judge_fault(FAULT, "acme", ran("ACME-A", "ACME-C", "ACME-B"), CLEAN)
    assert verdict.detected and not verdict.ok
    assert verdict.other_clauses == ("ACME-B", "ACME-C")
    assert verdict.problems() == [
        "collateral: acme-bad (breaks ACME-A) also tripped 2 finding(s):",
        "    ACME-C by check.acme-c [items.list]: wrong",
        "    ACME-B by check.acme-b [items.list]: wrong",
    ]


def test_a_clause_the_clean_emulator_already_trips_is_not_blamed_on_the_fault() -> None:
    verdict = judge_fault(FAULT, "acme", ran("ACME-A", "ACME-B"), ran("ACME-B"))
    assert verdict.collateral == ()


def test_a_harness_error_under_a_fault_fails_its_proof() -> None:
    verdict = judge_fault(FAULT, "acme", ran("ACME-A", errors=("check.x: boom",)), CLEAN)
    assert not verdict.ok
    assert verdict.problems() == ["error under acme-bad: check.x: boom"]


def test_a_fault_that_follows_a_reading_must_leave_lenient_mode_silent() -> None:
    fault = Fault("acme-400", "ACME-A", "follows the 400 reading", reading="bad-request")
    strict_run, strict_clean = ran("ACME-A", strict=True), ran(strict=True)
    accepted = judge_fault(fault, "acme", strict_run, strict_clean, ran(), CLEAN)
    assert accepted.ok and accepted.strict
    refused = judge_fault(fault, "acme", strict_run, strict_clean, ran("ACME-A"), CLEAN)
    assert not refused.ok
    assert refused.problems()[0].startswith(
        "lenient finding: acme-400 (breaks ACME-A, strict) follows the documented reading "
        "'bad-request', yet lenient mode"
    )


def test_the_vendor_line_counts_proven_clauses_and_detected_faults() -> None:
    subtle = Fault("acme-sub", "ACME-B", "b", replace_header("X", str.upper, when=on_errors))
    verdicts = [
        judge_fault(FAULT, "acme", ran("ACME-A"), CLEAN),
        judge_fault(subtle, "acme", ran("ACME-B", "ACME-C"), CLEAN),  # detected, collateral
        judge_fault(Fault("acme-c", "ACME-C", "c", strict=True), "acme", ran(), CLEAN),
    ]
    line = coverage(
        "acme",
        ["ACME-A", "ACME-B", "ACME-C", "ACME-D", "ACME-E"],
        verdicts,
        ["ACME-D"],
        ["ACME-E"],
        4,
    ).line()
    assert line == (
        "acme: proven 1/5 clauses, detected 2/3 faults (1 subtle, 1 strict, "
        "1 unfaultable with a reason, 1 uncovered, 3 of 4 faults selected)"
    )


def test_an_outcome_is_perfect_only_with_silent_clean_runs_and_every_fault_proven() -> None:
    proven = judge_fault(FAULT, "acme", ran("ACME-A"), CLEAN)
    outcome = SelftestOutcome(clean=[CleanVerdict("acme", False, (), ())], faults=[proven])
    assert outcome.perfect
    outcome.clean.append(CleanVerdict("acme", True, ran("ACME-B").findings, ()))
    assert not outcome.perfect
    assert outcome.clean_findings["acme (strict)"] == ["ACME-B by check.acme-b [items.list]: wrong"]
    assert "clean acme (strict) emulator has 1 finding(s):" in outcome.summary()
