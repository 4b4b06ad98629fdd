"""The feature tables of the records, filters, collections and idempotency checks read
into their typed form for every vendor, and the checks skip profiles without them."""

from __future__ import annotations

from typing import Any

import pytest

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import FeatureKey, load_all
from harness.checks.collections._features import MODE_COUNT, NESTING, RESOURCES
from harness.checks.filters._features import FILTERS, URL_ENCODING
from harness.checks.idempotency._features import IDEMPOTENCY
from harness.checks.records._features import ENUMS, IDS, OBSERVED_FIELDS, TIMESTAMPS
from harness.profiles import load_profile

KEYS: tuple[FeatureKey[Any], ...] = (
    ENUMS,
    IDS,
    OBSERVED_FIELDS,
    TIMESTAMPS,
    FILTERS,
    URL_ENCODING,
    MODE_COUNT,
    NESTING,
    RESOURCES,
    IDEMPOTENCY,
)
PACKAGES = ("records.", "filters.", "collections.", "idempotency.")


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_table_reads_typed(vendor: str) -> None:
    profile = load_profile(vendor)
    for key in KEYS:
        if key.present(profile):
            assert isinstance(key.read(profile), key.type), (vendor, key.name)


def test_every_table_is_documented_by_some_vendor() -> None:
    profiles = [load_profile(v) for v in vendor_names()]
    assert [k.name for k in KEYS if not any(k.present(p) for p in profiles)] == []


def test_the_resources_read_as_resources() -> None:
    for vendor in vendor_names():
        table = RESOURCES.read(load_profile(vendor))
        if table is not None:
            assert all(r.path.startswith("/") for r in table.resources()), vendor


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_vendor_clause_is_linked_to_a_registered_check_or_unchecked(vendor: str) -> None:
    registry = load_all()
    for clause in load_clauses(vendor):
        if clause.concern != "vendor":
            continue
        assert clause.unchecked or clause.checks, clause.id
        for name in clause.checks:
            assert name in registry, (clause.id, name)


def test_the_former_rules_b_checks_skip_profiles_without_their_features() -> None:
    registry = load_all()
    mine = [s for s in registry.values() if any(a.startswith("rules_b.") for a in s.aliases)]
    assert mine
    names = {s.name for s in mine}
    linking_none = [
        v for v in vendor_names() if not any(n in names for c in load_clauses(v) for n in c.checks)
    ]
    assert linking_none
    for vendor in linking_none:
        profile = load_profile(vendor)
        applying = [
            s.name for s in mine if s.skip_reason(profile) is None and s.operations(profile)
        ]
        assert applying in ([], ["records.item-schema"]), (vendor, applying)


def test_my_checks_all_report_for_the_vendor_concern() -> None:
    registry = load_all()
    mine = [s for n, s in registry.items() if n.startswith(PACKAGES)]
    assert mine and {s.concern for s in mine} == {"vendor"}
