"""The endpoint inventory: which operations of a vendor the harness probes, as data.

A vendor's conventions (auth, envelope, errors, paging, limits, formats) are its profile
and apply to every endpoint; the endpoints themselves are a separate list:

- the defaults, ``schemas/<vendor>/operations.toml`` (``operations.schema.json``), each
  entry naming the facts it rests on (``facts = [...]``, ids into ``facts.toml``);
- per target, ``[[operations]]`` in the target file add endpoints, or replace a default
  one with the same id, and ``[inventory]`` drops defaults (``exclude = ["people.get"]``)
  or all of them (``mode = "replace"``): a team checks exactly the endpoints its
  integration uses. The target's profile carries the result, so plans, checks and
  emulated targets all see it.

Every problem is one line naming the file, the key, the rule and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from harness._tomlfile import check_against, read_data
from harness.errors import ConfigError, ProfileError, TargetFileError
from harness.facts import FACTS_FILE, check_fact_references, facts_in

if TYPE_CHECKING:
    from harness.profiles import Profile

__all__ = [
    "INVENTORY_FILE",
    "Operation",
    "check_inventory",
    "load_inventory",
    "target_operations",
    "target_profile",
]

INVENTORY_FILE = "operations.toml"
Source = Literal["document", "public-facts", "assumed", "target"]
HasSchema = Callable[[str], bool]
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    kind: str
    schema: str | None = None
    item_schema: str | None = None
    id_field: str | None = None  # list items: dotted path of the record id
    status: int | None = None
    write: bool = False
    paged: bool = False
    main: bool = False
    # Left out of the hash (a mapping has none) so that operations can key a memo.
    body: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    source: Source = "document"
    facts: tuple[str, ...] = ()

    @property
    def reads(self) -> bool:
        """Whether it only reads (a list or one record, not a write)."""
        return not self.write and self.kind in ("list", "object")


def _operation(entry: Mapping[str, Any], source: Source) -> Operation:
    values = {"source": source, **entry}
    values["body"] = MappingProxyType(dict(entry.get("body") or {}))
    values["facts"] = tuple(entry.get("facts", ()))
    return Operation(**values)


def _collection(op: Operation) -> str:
    return op.path.split("/{", 1)[0]


# The key of a default operation a target keeps: only its exclusions can break it.
_KEPT = "inventory.exclude"


def _sub(key: str, name: str) -> str:
    return key if key == _KEPT else f"{key}.{name}"


def check_inventory(
    operations: Sequence[Operation],
    keys: Sequence[str],
    path: Path,
    error: type[ConfigError],
    has_schema: HasSchema,
    *,
    checked: Sequence[bool] | None = None,
    vendor: str = "",
) -> None:
    """The rules of an inventory; ``keys[i]`` names where ``operations[i]`` came from and
    ``checked[i]`` whether its own references (schemas) are checked here."""
    seen: dict[str, str] = {}
    for op, key in zip(operations, keys, strict=True):
        if op.id in seen:
            raise error(
                path,
                _sub(key, "id"),
                f"{op.id!r} is also the id of {seen[op.id]}",
                "ids are unique",
            )
        seen[op.id] = key
    mains = [k for op, k in zip(operations, keys, strict=True) if op.main]
    if len(mains) > 1:
        raise error(
            path, _sub(mains[1], "main"), f"is true, and so is {mains[0]}.main", "one main only"
        )
    if not any(op.reads for op in operations):
        raise error(
            path,
            keys[0] if keys else "operations",
            "the inventory has no read operation (kind list or object, not a write)",
            "keep or declare at least one: the checks of every convention read through it",
        )
    for i, (op, key) in enumerate(zip(operations, keys, strict=True)):
        if checked is None or checked[i]:
            for name in ("schema", "item_schema"):
                file_name = getattr(op, name)
                if file_name and not has_schema(file_name):
                    raise error(
                        path,
                        f"{key}.{name}",
                        f"names {file_name!r}, which is not a schema of {vendor or 'the vendor'}",
                        f"name a file of {path.parent if not vendor else 'schemas/' + vendor}/ "
                        "(or a generated reading), or leave it out: the conventions are "
                        "checked without it",
                    )
        _check_placeholders(op, key, operations, path, error)


def _check_placeholders(
    op: Operation, key: str, operations: Sequence[Operation], path: Path, error: type[ConfigError]
) -> None:
    """A ``{placeholder}`` takes the id of a record of the list at the path before it
    (a write may take it from the record its create at that path made)."""
    names = _PLACEHOLDER.findall(op.path)
    if not names:
        return
    prefix = _collection(op)
    sources = [o for o in operations if o.path == prefix and o.kind == "list" and not o.write]
    if op.write:
        sources += [o for o in operations if o.path == prefix and o.kind == "create"]
    if not sources:
        raise error(
            path,
            _sub(key, "path"),
            f"{op.id}: {op.path!r} has the placeholder {{{names[-1]}}} but no list operation at "
            f"{prefix!r} to take ids from",
            f'declare or keep a list (kind = "list", method GET) at {prefix}',
        )


def load_inventory(folder: Path, has_schema: HasSchema, vendor: str) -> tuple[Operation, ...]:
    """A vendor's default inventory, ``operations.toml`` in its folder, validated."""
    path = folder / INVENTORY_FILE
    if not path.is_file():
        raise ProfileError(
            path,
            None,
            "file not found: every vendor lists its endpoints in operations.toml",
            "create it beside profile.toml (format: schemas/README.md)",
        )
    data = read_data(path, ProfileError)
    check_against(data, "operations", path, ProfileError)
    source: Source = "document"
    operations = tuple(_operation(entry, source) for entry in data["operations"])
    keys = [f"operations[{i}]" for i in range(len(operations))]
    check_inventory(operations, keys, path, ProfileError, has_schema, vendor=vendor)
    check_fact_references(
        ((f"{k}.facts", op.facts) for op, k in zip(operations, keys, strict=True)),
        facts_in(folder),
        path,
        ProfileError,
        folder / FACTS_FILE,
    )
    return operations


# ---------------------------------------------------------------- per target
def _declared(data: Mapping[str, Any], path: Path) -> list[Operation]:
    entries = data.get("operations", [])
    if not entries:
        return []
    check_against({"operations": entries}, "operations", path, TargetFileError)
    return [_operation(entry, "target") for entry in entries]


def target_operations(
    defaults: Sequence[Operation],
    data: Mapping[str, Any],
    path: Path,
    has_schema: HasSchema,
    folder: Path,
    vendor: str,
) -> tuple[Operation, ...]:
    """The operations a target probes: its vendor's defaults as the target file's
    ``[[operations]]`` and ``[inventory]`` extend, replace or trim them."""
    declared = _declared(data, path)
    inventory = data.get("inventory", {})
    mode = inventory.get("mode", "extend")
    exclude = list(inventory.get("exclude", ()))
    if not declared and not exclude and mode == "extend":
        return tuple(defaults)
    if mode == "replace":
        if exclude:
            raise TargetFileError(
                path,
                "inventory.exclude",
                'drops defaults, but mode = "replace" keeps none of them',
                'remove exclude, or use mode = "extend"',
            )
        if not declared:
            raise TargetFileError(
                path,
                "operations",
                'is empty, and [inventory] mode = "replace" drops every default',
                "declare the endpoints your integration uses as [[operations]]",
            )
        kept: list[Operation] = []
    else:
        kept = _trimmed(defaults, exclude, declared, path, vendor)
    by_id = {op.id: i for i, op in enumerate(kept)}
    if any(op.main for op in declared):  # the target's main collection wins
        kept = [replace(op, main=False) if op.main else op for op in kept]
    result: list[Operation] = list(kept)
    keys = [_KEPT] * len(kept)
    checked = [False] * len(kept)
    for index, op in enumerate(declared):
        key = f"operations[{index}]"
        if op.id in by_id and mode != "replace":
            result[by_id[op.id]] = op
            keys[by_id[op.id]], checked[by_id[op.id]] = key, True
        else:
            result.append(op)
            keys.append(key)
            checked.append(True)
    check_inventory(result, keys, path, TargetFileError, has_schema, checked=checked, vendor=vendor)
    check_fact_references(
        ((f"{k}.facts", op.facts) for op, k, c in zip(result, keys, checked, strict=True) if c),
        facts_in(folder),
        path,
        TargetFileError,
        folder / FACTS_FILE,
    )
    return tuple(result)


def _trimmed(
    defaults: Sequence[Operation],
    exclude: Sequence[str],
    declared: Sequence[Operation],
    path: Path,
    vendor: str,
) -> list[Operation]:
    known = [op.id for op in defaults]
    for index, op_id in enumerate(exclude):
        if op_id not in known:
            raise TargetFileError(
                path,
                f"inventory.exclude[{index}]",
                f"{op_id!r} is not a default operation of {vendor}",
                "default operations: " + ", ".join(known),
            )
        if any(op.id == op_id for op in declared):
            raise TargetFileError(
                path,
                f"inventory.exclude[{index}]",
                f"{op_id!r} is excluded and also declared in [[operations]]",
                "a declared operation replaces the default of the same id: drop one of the two",
            )
    kept = [op for op in defaults if op.id not in exclude]
    for op in (o for o in kept if o.reads):
        prefix = _collection(op)
        gone = [d for d in defaults if d.id in exclude and d.path == prefix and d.kind == "list"]
        if (
            gone
            and _PLACEHOLDER.search(op.path)
            and not any(d.path == prefix and d.kind == "list" for d in (*kept, *declared))
        ):
            raise TargetFileError(
                path,
                "inventory.exclude",
                f"drops {gone[0].id!r}, the list {op.id!r} ({op.path}) takes its ids from",
                f"exclude {op.id!r} too, or keep {gone[0].id!r}",
            )
    return kept


def target_profile(profile: Profile, data: Mapping[str, Any], path: Path) -> Profile:
    """``profile`` with the target file's inventory (the same object when it has none)."""
    operations = target_operations(
        profile.operations, data, path, profile.has_schema, profile.folder, profile.vendor
    )
    if operations == profile.operations:
        return profile
    return replace(profile, operations=operations)
