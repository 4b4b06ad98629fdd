"""Every clause has a check or a written reason, and every link names a real check."""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.catalog import load_catalog
from harness.checks import load_all

VENDORS = vendor_names()


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_clause_has_a_check_or_a_written_reason(vendor: str) -> None:
    bare = [c.id for c in load_catalog((vendor,)) if not c.checks and not c.unchecked]
    assert bare == [], f"clauses with neither a check nor a reason: {bare}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_linked_check_is_registered(vendor: str) -> None:
    registry = load_all()
    dangling = [
        (c.id, name) for c in load_catalog((vendor,)) for name in c.checks if name not in registry
    ]
    assert dangling == [], f"links to checks that do not exist: {dangling}"


def test_every_registered_check_verifies_some_clause() -> None:
    linked = {name for c in load_catalog() for name in c.checks}
    orphans = sorted(set(load_all()) - linked)
    assert orphans == [], f"checks no clause links to (they never run): {orphans}"


def test_a_clause_is_not_both_checked_and_declared_uncheckable() -> None:
    both = [c.id for c in load_catalog() if c.checks and c.unchecked]
    assert both == []
