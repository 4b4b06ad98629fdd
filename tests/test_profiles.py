"""A broken profile fails with one line naming the file, the key and the expected form."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

from harness._resources import vendor_root
from harness.errors import ProfileError
from harness.profiles import load_profile, load_profile_file


def _broken_copy(tmp_path: Path, vendor: str, edit: object) -> Path:
    folder = tmp_path / vendor
    shutil.copytree(vendor_root() / vendor, folder)
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
    def edit(d: dict) -> None:  # type: ignore[type-arg]
        d["operations"][0]["schema"] = "nope.schema.json"

    path = _broken_copy(tmp_path, "toptickets", edit)
    with pytest.raises(ProfileError, match=r"operations\[0\]\.schema.*nope\.schema\.json"):
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
