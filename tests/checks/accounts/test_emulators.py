"""The account checks find nothing on each clean emulator that links them, and no emulator
fault is blamed on their clauses."""

from __future__ import annotations

import pytest

from tests.support.vendor_runs import assert_clean_and_exact, linking_vendors

PREFIX = "accounts."


def test_some_vendor_links_the_accounts_checks() -> None:
    assert linking_vendors(PREFIX)


@pytest.mark.parametrize("vendor", linking_vendors(PREFIX))
def test_the_accounts_checks_are_clean_and_blame_no_fault(vendor: str) -> None:
    assert_clean_and_exact(vendor, PREFIX)
