"""Every vendor's endpoints are data of their own (operations.toml), apart from its
conventions, and every entry names the facts it rests on (or says it is assumed)."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

from harness._resources import harness_schema_dir, vendor_folder, vendor_names
from harness.errors import ProfileError
from harness.facts import load_facts
from harness.profiles import load_profile, load_profile_file

VENDORS = vendor_names()


def test_the_profile_schema_has_no_endpoint_inventory() -> None:
    schema = (harness_schema_dir() / "profile.schema.json").read_text(encoding="utf-8")
    assert '"operations"' not in schema


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_vendor_profile_holds_conventions_and_its_inventory_holds_endpoints(
    vendor: str,
) -> None:
    folder = vendor_folder(vendor)
    profile_data = tomllib.loads((folder / "profile.toml").read_text(encoding="utf-8"))
    inventory = tomllib.loads((folder / "operations.toml").read_text(encoding="utf-8"))
    assert "operations" not in profile_data
    ids = [op.id for op in load_profile(vendor).operations]
    assert ids == [entry["id"] for entry in inventory["operations"]]


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_default_operation_names_existing_facts_or_says_it_is_assumed(
    vendor: str,
) -> None:
    facts = load_facts(vendor)
    for op in load_profile(vendor).operations:
        assert op.facts or op.source == "assumed", f"{vendor} {op.id} rests on no fact"
        for fact_id in op.facts:
            assert fact_id in facts, f"{vendor} {op.id} names unknown fact {fact_id}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_vendor_has_a_generic_body_for_operations_without_a_record_schema(
    vendor: str,
) -> None:
    profile = load_profile(vendor)
    for kind in ("list", "object"):
        assert profile.generic_schemas.get(kind), f"{vendor}: no generic {kind} body"
        assert profile.has_schema(profile.generic_schemas[kind])


def _copy(tmp_path: Path, vendor: str) -> Path:
    folder = tmp_path / vendor
    shutil.copytree(vendor_folder(vendor), folder)
    return folder


def test_a_default_inventory_naming_an_unknown_fact_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "trackops")
    path = folder / "operations.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["operations"][1]["facts"] = ["resources.listedd"]
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile_file(folder / "profile.toml")
    message = str(info.value)
    assert "operations.toml: key 'operations[1].facts'" in message
    assert "'resources.listedd'" in message and "did you mean 'resources.listed'" in message


def test_a_vendor_folder_without_an_inventory_says_what_to_create(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "turitop")
    (folder / "operations.toml").unlink()
    with pytest.raises(ProfileError, match=r"operations\.toml: file not found.*create it"):
        load_profile_file(folder / "profile.toml")
