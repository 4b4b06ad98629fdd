"""The [features.*] tables of the representation checks: declared alike in features.schema.json and
in their dataclasses, read typed from every vendor's profile, documented by some vendor."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import harness.checks.representation as package
from harness._resources import vendor_names
from harness.checks import FeatureKey
from harness.checks.representation._features import FIELDS, JSON_SUFFIX
from harness.profiles import load_profile

KEYS: tuple[FeatureKey[Any], ...] = (
    FIELDS,
    JSON_SUFFIX,
)
SCHEMA = json.loads((Path(package.__file__).parent / "features.schema.json").read_text())


def test_the_schema_declares_exactly_the_tables_and_keys_of_the_dataclasses() -> None:
    assert set(SCHEMA["properties"]) == {k.name for k in KEYS}
    for key in KEYS:
        table = SCHEMA["properties"][key.name]
        assert set(table["properties"]) == key.fields, key.name
        required = {
            f.name
            for f in dataclasses.fields(key.type)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        assert set(table["required"]) == required, key.name


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_table_reads_typed(vendor: str) -> None:
    profile = load_profile(vendor)
    for key in KEYS:
        if key.present(profile):
            assert isinstance(key.read(profile), key.type), (vendor, key.name)


def test_every_table_is_documented_by_some_vendor() -> None:
    profiles = [load_profile(v) for v in vendor_names()]
    assert [k.name for k in KEYS if not any(k.present(p) for p in profiles)] == []
