"""A target file extends, replaces or trims its vendor's endpoint inventory; every mistake
is one line naming the file, the key, the rule and the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w

from harness.errors import TargetFileError
from harness.profiles import load_profile
from harness.targets import load_target

BASE: dict[str, Any] = {
    "vendor": "itrp",
    "base_url": "https://127.0.0.1:8443/v1",
    "mode": "live",
    "credentials": {"api_token": "t0ken-value-for-tests"},
}
TEAM_LIST = {"id": "team.people", "method": "GET", "path": "/people", "kind": "list"}
TEAM_RECORD = {"id": "team.person", "method": "GET", "path": "/people/{id}", "kind": "object"}


def _target(tmp_path: Path, **extra: Any) -> Path:
    path = tmp_path / "itrp-live.toml"
    path.write_text(tomli_w.dumps({**BASE, **extra}), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(TargetFileError) as info:
        load_target(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_without_inventory_keys_a_target_probes_the_vendor_defaults(tmp_path: Path) -> None:
    target = load_target(_target(tmp_path))
    assert target.profile is load_profile("itrp")


def test_declared_operations_are_added_after_the_defaults(tmp_path: Path) -> None:
    target = load_target(_target(tmp_path, operations=[TEAM_LIST, TEAM_RECORD]))
    ids = [op.id for op in target.profile.operations]
    defaults = [op.id for op in load_profile("itrp").operations]
    assert ids == [*defaults, "team.people", "team.person"]
    added = target.profile.operation("team.person")
    assert added.source == "target" and added.schema is None and not added.write


def test_a_declared_operation_with_a_default_id_replaces_it_in_place(tmp_path: Path) -> None:
    mine = {**TEAM_LIST, "id": "people.list", "paged": False}
    target = load_target(_target(tmp_path, operations=[mine]))
    ids = [op.id for op in target.profile.operations]
    assert ids == [op.id for op in load_profile("itrp").operations]
    replaced = target.profile.operation("people.list")
    assert replaced.source == "target" and not replaced.paged and replaced.schema is None


def test_excluded_defaults_are_gone_from_the_profile_the_checks_see(tmp_path: Path) -> None:
    target = load_target(_target(tmp_path, inventory={"exclude": ["people.get", "enums"]}))
    ids = {op.id for op in target.profile.operations}
    assert "people.get" not in ids and "enums" not in ids and "people.list" in ids


def test_replace_mode_keeps_only_the_declared_operations(tmp_path: Path) -> None:
    main = {**TEAM_LIST, "main": True, "paged": True}
    path = _target(tmp_path, operations=[main, TEAM_RECORD], inventory={"mode": "replace"})
    target = load_target(path)
    assert [op.id for op in target.profile.operations] == ["team.people", "team.person"]
    assert target.profile.main_operation.id == "team.people"


def test_a_declared_main_collection_takes_over_from_the_default_one(tmp_path: Path) -> None:
    target = load_target(_target(tmp_path, operations=[{**TEAM_LIST, "main": True}]))
    assert [op.id for op in target.profile.operations if op.main] == ["team.people"]


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        (
            {"operations": [TEAM_LIST, {**TEAM_RECORD, "id": "team.people"}]},
            "operations[1].id",
            "'team.people' is also the id of operations[0]",
        ),
        (
            {"operations": [{**TEAM_LIST, "schema": "nope.schema.json"}]},
            "operations[0].schema",
            "'nope.schema.json', which is not a schema of itrp",
        ),
        (
            {"operations": [{**TEAM_RECORD, "path": "/teams/{id}"}]},
            "operations[0].path",
            "no list operation at '/teams' to take ids from",
        ),
        (
            {"inventory": {"exclude": ["people.gett"]}},
            "inventory.exclude[0]",
            "'people.gett' is not a default operation of itrp",
        ),
        (
            {"inventory": {"exclude": ["people.list"]}},
            "inventory.exclude",
            "drops 'people.list', the list 'people.get' (/people/{id}) takes its ids from",
        ),
        (
            {
                "operations": [{**TEAM_LIST, "id": "people.list"}],
                "inventory": {"exclude": ["people.list"]},
            },
            "inventory.exclude[0]",
            "excluded and also declared",
        ),
        (
            {"inventory": {"mode": "replace"}},
            "operations",
            'mode = "replace" drops every default',
        ),
        (
            {"operations": [{**TEAM_LIST, "facts": ["no.such-fact"]}]},
            "operations[0].facts",
            "names the fact 'no.such-fact'",
        ),
        (
            {"operations": [{**TEAM_LIST, "kind": "listing"}]},
            "operations[0].kind",
            "expected one of 'list'",
        ),
        (
            {"operations": [{**TEAM_LIST, "main": True}, {**TEAM_RECORD, "main": True}]},
            "operations[1].main",
            "is true, and so is operations[0].main",
        ),
        (
            {"inventory": {"mode": "replace"}, "operations": [{**TEAM_LIST, "write": True}]},
            "operations[0]",
            "no read operation",
        ),
    ],
    ids=[
        "duplicate-id",
        "unknown-schema",
        "placeholder-without-list",
        "unknown-exclude",
        "exclude-breaks-a-kept-read",
        "excluded-and-declared",
        "replace-with-nothing",
        "unknown-fact",
        "unknown-kind",
        "two-mains",
        "no-read",
    ],
)
def test_a_broken_inventory_is_one_line_naming_key_and_rule(
    tmp_path: Path, extra: dict[str, Any], key: str, words: str
) -> None:
    message = _error(_target(tmp_path, **extra))
    assert f"key '{key}'" in message, message
    assert words in message, message
