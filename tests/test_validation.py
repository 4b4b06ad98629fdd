"""The compiled validator (jsonschema-rs) gives the same verdicts as jsonschema on every
schema, documented example and mutation; violations are data naming pointer, rule and value."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from harness.validation import FORMAT_CHECKER, SchemaStore
from tests.test_examples import EXAMPLES, MUTATIONS, _apply


def _reference(store: SchemaStore, schema_id: str, instance: Any) -> bool:
    validator = jsonschema.Draft202012Validator(
        store.schema(schema_id), registry=store._registry, format_checker=FORMAT_CHECKER
    )
    return bool(validator.is_valid(instance))


def _cases() -> list[tuple[str, str, Any]]:
    out = []
    for vendor, ex in EXAMPLES:
        instance = ex["instance"]
        if ex.get("kind") == "headers":
            instance = {k.lower(): v for k, v in instance.items()}
        out.append((vendor, ex["schema"], instance))
    for vendor, ex, m in MUTATIONS:
        instance = _apply(ex["instance"], m["op"], m["path"], m.get("value"))
        if ex.get("kind") == "headers" and isinstance(instance, dict):
            instance = {k.lower(): v for k, v in instance.items()}
        out.append((vendor, ex["schema"], instance))
    return out


CASES = _cases()


@pytest.mark.parametrize(("vendor", "schema", "instance"), CASES)
def test_the_compiled_validator_agrees_with_jsonschema(
    store: SchemaStore, vendor: str, schema: str, instance: Any
) -> None:
    sid = store.resolve(schema, vendor)
    fast = store.fast_validator(sid)
    assert fast is not None, f"{sid} does not compile with jsonschema-rs"
    assert bool(fast.is_valid(instance)) == _reference(store, sid, instance)


def test_every_schema_compiles_with_the_fast_validator(store: SchemaStore) -> None:
    failing = [sid for sid in store.ids if store.fast_validator(sid) is None]
    assert failing == []


def test_violations_name_the_pointer_the_rule_and_the_value(store: SchemaStore) -> None:
    violations = store.validate("itrp/error.schema.json", {"message": 42})
    assert [(v.pointer, v.rule, v.value) for v in violations] == [("/message", "type", 42)]
    assert "/message" in str(violations[0])


def test_a_missing_property_is_named_at_its_own_pointer(store: SchemaStore) -> None:
    violations = store.validate("itrp/error.schema.json", {})
    assert violations[0].pointer == "/message" and violations[0].rule == "required"
