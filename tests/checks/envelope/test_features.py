"""The envelope package's feature tables: the JSON Schema and the dataclasses agree, and
every profile's table reads into its dataclass."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import harness.checks.envelope
from harness._resources import vendor_names
from harness.checks import FeatureKey
from harness.checks.envelope._common import ENVELOPE, SERVICE_ROOT
from harness.profiles import load_profile

KEYS: tuple[FeatureKey[Any], ...] = (ENVELOPE, SERVICE_ROOT)
SCHEMA = Path(harness.checks.envelope.__file__).with_name("features.schema.json")


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


def test_the_envelope_names_its_metadata_members() -> None:
    tables = [t for t in (ENVELOPE.read(load_profile(v)) for v in vendor_names()) if t]
    assert tables
    for env in tables:
        named = {env.data_field, env.request_id_field, env.status_field, env.code_field}
        assert {n for n in named if n} <= env.metadata_fields
