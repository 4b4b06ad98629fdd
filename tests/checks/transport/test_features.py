"""The transport package's feature tables: the JSON Schema and the dataclasses agree, and
every profile's table reads into its dataclass."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import harness.checks.transport
from harness._resources import vendor_names
from harness.checks import FeatureKey
from harness.checks.transport._common import REQUEST_HEADERS, TRANSPORT
from harness.profiles import load_profile

KEYS: tuple[FeatureKey[Any], ...] = (TRANSPORT, REQUEST_HEADERS)
SCHEMA = Path(harness.checks.transport.__file__).with_name("features.schema.json")


def _declared() -> dict[str, Any]:
    tables: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]
    return tables


def test_the_schema_declares_exactly_the_tables_of_the_package() -> None:
    assert set(_declared()) == {k.name for k in KEYS}


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.name)
def test_each_table_has_one_dataclass_field_per_key(key: FeatureKey[Any]) -> None:
    table = _declared()[key.name]
    assert set(table["properties"]) == key.fields
    mandatory = {
        f.name
        for f in dataclasses.fields(key.type)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    assert set(table.get("required", ())) == mandatory


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_profile_table_reads_into_its_dataclass(vendor: str) -> None:
    profile = load_profile(vendor)
    for key in KEYS:
        if key.present(profile):
            assert isinstance(key.read(profile), key.type)
