"""Every schema is valid Draft 2020-12 with an $id, and every profile and catalog loads."""

from __future__ import annotations

import pytest

from harness._resources import vendor_names, vendor_root
from harness.catalog import load_catalog, load_clauses
from harness.profiles import load_profile
from harness.validation import ID_BASE, SchemaStore

VENDORS = vendor_names()


def test_all_five_vendors_are_present() -> None:
    assert set(VENDORS) == {"turitop", "turris", "trackops", "toptickets", "itrp"}


def test_every_schema_is_valid_against_the_2020_12_metaschema(store: SchemaStore) -> None:
    assert store.check_all() == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_vendor_schema_has_an_id_matching_its_file(store: SchemaStore, vendor: str) -> None:
    files = sorted((vendor_root() / vendor).glob("*.schema.json"))
    assert files, f"{vendor} has no schemas"
    for file in files:
        sid = f"{ID_BASE}{vendor}/{file.name}"
        assert store.file(sid) == file


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_schema_reference_resolves(store: SchemaStore, vendor: str) -> None:
    for file in sorted((vendor_root() / vendor).glob("*.schema.json")):
        store.validate(f"{vendor}/{file.name}", None)  # raises on a dangling $ref


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_profile_loads(vendor: str) -> None:
    profile = load_profile(vendor)
    assert profile.vendor == vendor
    assert profile.main_operation.main


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_vendor_has_at_least_six_clauses(vendor: str) -> None:
    assert len(load_clauses(vendor)) >= 6


def test_the_catalog_holds_at_least_forty_clauses() -> None:
    assert len(load_catalog()) >= 40
