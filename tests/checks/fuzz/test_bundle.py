"""The $ref bundler: every vendor record schema and request schema becomes one
self-contained schema that hypothesis-jsonschema can draw valid values from."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from harness._resources import vendor_names
from harness.checks.fuzz._common import collect
from harness.checks.fuzz.bundle import bundle, strategy
from harness.checks.fuzz.write_bodies import write_bodies_for
from harness.profiles import load_profile
from harness.validation import SchemaStore


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield str(value)
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _record_schemas() -> list[tuple[str, str]]:
    found = []
    for vendor in vendor_names():
        profile = load_profile(vendor)
        files = {op.item_schema for op in profile.operations if op.item_schema}
        files |= {file for _, file in write_bodies_for(profile)}
        found += [(vendor, file) for file in sorted(files)]
    return found


@pytest.mark.parametrize(("vendor", "file"), _record_schemas())
def test_the_bundler_resolves_every_cross_file_reference_for_hypothesis_jsonschema(
    store: SchemaStore, vendor: str, file: str
) -> None:
    sid = load_profile(vendor).schema_id(file)
    bundled = bundle(store, sid)
    assert all(ref.startswith("#/$defs/") for ref in _refs(bundled))
    assert "$id" not in json.dumps(bundled)
    values = collect(strategy(store, sid), 3)
    assert values
    for value in values:
        assert store.validate(sid, value) == [], value
