"""The JSON-P checks find nothing on each clean emulator that links them, and catch each
fault of their clauses on exactly that clause (and blame no other fault on them)."""

from __future__ import annotations

import pytest

from tests.support.vendor_runs import assert_clean_and_exact, linking_vendors, package_faults

PREFIX = "jsonp."


def test_some_vendor_links_the_jsonp_checks() -> None:
    assert linking_vendors(PREFIX)


def test_the_emulators_have_a_fault_on_a_jsonp_clause() -> None:
    # Without one, the exact test below could not fail; each fault is judged there.
    assert package_faults(PREFIX), f"no emulator fault breaks a clause of a {PREFIX} check"


@pytest.mark.parametrize("vendor", linking_vendors(PREFIX))
def test_the_jsonp_checks_are_clean_and_catch_each_fault_on_its_clause(vendor: str) -> None:
    assert_clean_and_exact(vendor, PREFIX)
