"""A broken profile fails with one line naming the file, the key and the expected form."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from harness._resources import feature_schema_files, vendor_folder, vendor_names
from harness.checks import FeatureKey, load_all
from harness.checks._features import declared_keys
from harness.errors import ProfileError
from harness.profiles import load_profile, load_profile_file


def _broken_copy(tmp_path: Path, vendor: str, edit: object) -> Path:
    folder = tmp_path / vendor
    shutil.copytree(vendor_folder(vendor), folder)
    path = folder / "profile.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_a_profile_with_a_wrong_enum_names_file_key_and_expected_values(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "trackops", lambda d: d["pagination"].update(style="pages"))
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert "pagination.style" in message
    assert "'page'" in message and "'offset'" in message


def test_a_profile_missing_a_required_key_names_it(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "itrp", lambda d: d.pop("https_only"))
    with pytest.raises(ProfileError, match=r"key 'https_only': is missing"):
        load_profile_file(path)


def test_a_profile_with_an_unknown_key_lists_the_known_ones(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "turris", lambda d: d["content"].update(typo="x"))
    with pytest.raises(ProfileError, match=r"key 'content.typo': is not a known key; known keys"):
        load_profile_file(path)


def test_a_profile_naming_a_missing_schema_file_says_which(tmp_path: Path) -> None:
    path = _broken_copy(
        tmp_path, "toptickets", lambda d: d["headers"].update(extra="nope.schema.json")
    )
    with pytest.raises(ProfileError, match=r"headers\.extra.*nope\.schema\.json"):
        load_profile_file(path)


def test_an_inventory_naming_a_missing_schema_file_says_which(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "toptickets", lambda d: None)
    inventory = path.parent / "operations.toml"
    data = tomllib.loads(inventory.read_text(encoding="utf-8"))
    data["operations"][0]["schema"] = "nope.schema.json"
    inventory.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    assert "operations.toml: key 'operations[0].schema'" in str(info.value)
    assert "'nope.schema.json'" in str(info.value)


def test_a_profile_that_still_lists_operations_is_told_where_they_moved(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, "itrp", lambda d: d.update(operations=[{"id": "me"}]))
    with pytest.raises(ProfileError, match=r"key 'operations'.*move the \[\[operations\]\]"):
        load_profile_file(path)


def test_a_profile_with_invalid_toml_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "turitop"
    folder.mkdir()
    (folder / "profile.toml").write_text("vendor = ", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"profile\.toml: invalid TOML"):
        load_profile_file(folder / "profile.toml")


def test_an_unknown_vendor_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError, match=r"no vendor called 'acme'.*known vendors: .*itrp"):
        load_profile("acme")


def test_rate_rule_for_a_key_tier_picks_the_tier_rule() -> None:
    profile = load_profile("toptickets")
    admin = profile.rate_limit.rule_for("read", "tt_admin_abc")
    ro = profile.rate_limit.rule_for("read", "tt_ro_abc")
    assert admin is not None and ro is not None
    assert admin.requests > ro.requests


# ---------------------------------------------------------------- feature tables
def _vendor_with(table: str) -> str:
    """A vendor whose profile has ``[features.<table>]``."""
    return next(v for v in vendor_names() if table in load_profile(v).features)


def _rename(mapping: dict[str, Any], old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


def test_a_misspelled_feature_table_names_file_key_and_the_known_tables(tmp_path: Path) -> None:
    vendor = _vendor_with("jsonp")
    path = _broken_copy(tmp_path, vendor, lambda d: _rename(d["features"], "jsonp", "jsonpp"))
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert "key 'features.jsonpp': is not a known key" in message
    assert "known keys here: " in message and " jsonp," in message


def test_a_misspelled_key_of_a_declared_table_names_file_key_and_the_known_keys(
    tmp_path: Path,
) -> None:
    vendor = _vendor_with("jsonp")
    path = _broken_copy(
        tmp_path, vendor, lambda d: _rename(d["features"]["jsonp"], "param", "parm")
    )
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert "key 'features.jsonp.parm': is not a known key" in message
    assert "known keys here: " in message and " param," in message


def _declaring_packages() -> dict[str, list[str]]:
    """Feature table -> the check packages whose features.schema.json declares it."""
    owners: dict[str, list[str]] = {}
    for path in feature_schema_files():
        for table in json.loads(path.read_text(encoding="utf-8"))["properties"]:
            owners.setdefault(table, []).append(path.parent.name)
    return owners


def _package_of(key: FeatureKey[Any]) -> str:
    return key.type.__module__.split(".")[2]


def test_every_declared_table_has_one_dataclass_in_its_package_with_the_same_keys() -> None:
    load_all()
    keys = declared_keys()
    owners = _declaring_packages()
    assert set(keys) == set(owners)
    for path in feature_schema_files():
        for name, table in json.loads(path.read_text(encoding="utf-8"))["properties"].items():
            key = keys[name]
            assert _package_of(key) == path.parent.name, name
            assert set(table["properties"]) == key.fields, name
            mandatory = {
                f.name
                for f in dataclasses.fields(key.type)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            }
            assert set(table.get("required", ())) == mandatory, name


@pytest.mark.parametrize("vendor", vendor_names())
def test_every_feature_table_is_declared_by_exactly_one_package_and_reads_typed(
    vendor: str,
) -> None:
    load_all()
    keys = declared_keys()
    owners = _declaring_packages()
    profile = load_profile(vendor)
    for name in profile.features:
        assert len(owners.get(name, [])) == 1, (name, owners.get(name))
        key = keys[name]
        assert isinstance(key.read(profile), key.type), name


def test_every_declared_table_is_documented_by_some_vendor() -> None:
    load_all()
    profiles = [load_profile(v) for v in vendor_names()]
    unused = [name for name, key in declared_keys().items() if not any(map(key.present, profiles))]
    assert unused == []
