"""Every complete JSON example of the five documents validates against its schema,
and each mutation of it is rejected with the expected JSON pointer named."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from harness._resources import vendor_folder, vendor_names
from harness._tomlfile import check_against
from harness.errors import ProfileError
from harness.validation import SchemaStore


def _examples() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for vendor in vendor_names():
        path = vendor_folder(vendor) / "examples.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            check_against(data, "examples", path, ProfileError)
            out += [(vendor, ex) for ex in data["examples"]]
    return out


EXAMPLES = _examples()
MUTATIONS = [(vendor, ex, m) for vendor, ex in EXAMPLES for m in ex.get("mutations", [])]


def _pointer_parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _apply(instance: Any, op: str, pointer: str, value: Any = None) -> Any:
    doc = copy.deepcopy(instance)
    if pointer == "":
        return copy.deepcopy(value)  # replace the whole document
    parts = _pointer_parts(pointer)
    parent = doc
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last = parts[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op == "remove":
            del parent[index]
        elif op == "add":
            parent.insert(index, value)
        else:
            parent[index] = value
    elif op == "remove":
        del parent[last]
    else:
        parent[last] = value
    return doc


def _validate(store: SchemaStore, vendor: str, ex: dict[str, Any], instance: Any) -> list[Any]:
    if ex.get("kind") == "headers":
        return store.validate_headers(ex["schema"], instance, vendor=vendor)
    return store.validate(ex["schema"], instance, vendor=vendor)


def test_every_vendor_documents_examples() -> None:
    have = {vendor for vendor, _ in EXAMPLES}
    assert have == set(vendor_names())


@pytest.mark.parametrize(
    ("vendor", "example"), EXAMPLES, ids=[f"{v}-{e['name']}" for v, e in EXAMPLES]
)
def test_documented_example_validates(
    store: SchemaStore, vendor: str, example: dict[str, Any]
) -> None:
    violations = _validate(store, vendor, example, example["instance"])
    assert violations == [], "\n".join(str(v) for v in violations)


@pytest.mark.parametrize(
    ("vendor", "example", "mutation"),
    MUTATIONS,
    ids=[f"{v}-{e['name']}-{m['name']}" for v, e, m in MUTATIONS],
)
def test_mutated_example_is_rejected_naming_the_pointer(
    store: SchemaStore, vendor: str, example: dict[str, Any], mutation: dict[str, Any]
) -> None:
    mutated = _apply(example["instance"], mutation["op"], mutation["path"], mutation.get("value"))
    violations = _validate(store, vendor, example, mutated)
    assert violations, f"mutation {mutation['name']!r} was accepted"
    pointers = [v.pointer for v in violations]
    assert mutation["expect_pointer"] in pointers, (
        f"expected a violation at {mutation['expect_pointer']!r}, got {pointers}"
    )


def test_every_vendor_has_at_least_five_mutations() -> None:
    for vendor in vendor_names():
        count = sum(1 for v, _, _ in MUTATIONS if v == vendor)
        assert count >= 5, f"{vendor} has {count} mutations"
