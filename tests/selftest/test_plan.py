"""What the selftest has to prove: faults validated against their vendor's catalog, and
every checked clause either faulted, unfaultable with a written reason, or uncovered."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from harness._resources import vendor_names
from harness.catalog import Ambiguity, Clause
from harness.emulators import Fault
from harness.errors import ConfigError, HarnessError, ProfileError
from harness.selftest import check_vendors, load_plan, validate_faults

VENDOR = vendor_names()[0]  # only names the files in the messages


def clause(cid: str, checks: tuple[str, ...] = ("x.check",), **extra: object) -> Clause:
    return Clause(
        id=cid,
        vendor=VENDOR,
        summary="a made-up clause",
        section="S",
        severity="normal",
        concern="errors",
        source="document",
        document="doc.txt",
        checks=checks,
        **extra,  # type: ignore[arg-type]
    )


AMBIGUOUS = Ambiguity("400 or 422", MappingProxyType({"422": "a", "400": "b", "4xx": "c"}), "422")
CLAUSES = {
    "X-A": clause("X-A"),
    "X-UNCHECKED": clause("X-UNCHECKED", checks=()),
    "X-NOFAULT": clause("X-NOFAULT", unfaultable="needs a second account to tell apart"),
    "X-AMB": clause("X-AMB", ambiguity=AMBIGUOUS),
}


def refused(*faults: Fault) -> str:
    with pytest.raises(ConfigError) as caught:
        validate_faults(VENDOR, faults, CLAUSES)
    return str(caught.value)


def test_faults_on_checked_clauses_pass() -> None:
    validate_faults(
        VENDOR,
        (Fault("a", "X-A", "a"), Fault("b", "X-AMB", "b", reading="400")),
        CLAUSES,
    )


def test_a_fault_on_a_clause_outside_the_catalog_is_refused() -> None:
    text = refused(Fault("a", "X-NOPE", "a"))
    assert "FAULTS[a]" in text and "breaks 'X-NOPE', which is not a clause of" in text
    assert "use an id from" in text and "clauses.toml" in text


def test_a_fault_on_a_clause_no_check_verifies_is_refused() -> None:
    assert "breaks X-UNCHECKED, which no check verifies" in refused(Fault("a", "X-UNCHECKED", "a"))


def test_a_clause_both_faulted_and_unfaultable_is_a_load_error() -> None:
    with pytest.raises(ProfileError, match=r"clauses.toml: key 'X-NOFAULT.unfaultable': says no"):
        validate_faults(VENDOR, (Fault("a", "X-NOFAULT", "a"),), CLAUSES)


def test_a_fault_name_registered_twice_is_refused() -> None:
    assert "registered twice" in refused(Fault("a", "X-A", "a"), Fault("a", "X-AMB", "b"))


def test_a_reading_must_be_a_non_strict_reading_of_the_clauses_ambiguity() -> None:
    strict_one = refused(Fault("a", "X-AMB", "a", reading="422"))
    assert "'422' is not a non-strict reading of X-AMB" in strict_one
    assert "name one of: 400, 4xx" in strict_one
    assert "records no ambiguity" in refused(Fault("a", "X-A", "a", reading="400"))


def test_every_vendors_checked_clauses_are_faulted_unfaultable_or_uncovered() -> None:
    for vendor, plan in load_plan().items():
        uncovered = {c.id for c in plan.uncovered}
        assert plan.faulted | set(plan.unfaultable) | uncovered == set(plan.checked), vendor
        assert not plan.faulted & set(plan.unfaultable)
        assert not plan.faulted & uncovered
        assert all(c.checks for c in plan.clauses)


def test_concerns_narrow_the_plan_to_the_clauses_their_checks_verify() -> None:
    whole = load_plan()
    narrow = load_plan(concerns=("ratelimit",))
    for vendor, plan in narrow.items():
        assert set(plan.checked) <= set(whole[vendor].checked)
        assert {f.name for f in plan.faults} <= {f.name for f in whole[vendor].faults}
        assert all(f.clause in plan.checked for f in plan.faults)


def test_an_unknown_vendor_is_a_harness_error_naming_the_known_ones() -> None:
    with pytest.raises(HarnessError, match="unknown vendor 'nope'; known vendors: "):
        check_vendors(["nope"])
