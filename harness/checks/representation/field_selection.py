"""Attribute selection: the documented ``fields`` query parameter keeps only the named
attributes of each record (and the attributes always included, such as ``id``), with
the values the unselected read shows."""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, is_success, items_of, loosely, shown
from harness.checks._registry import check
from harness.checks.representation._features import FIELDS


def _pick_field(records: list[Any], example: str, always: set[str]) -> str | None:
    """The documented example attribute when the records carry it, else their first
    plain attribute that is not always included."""
    first = next((r for r in records if isinstance(r, dict)), None)
    if first is None:
        return None
    if any(isinstance(r, dict) and example in r for r in records):
        return example
    for key, value in first.items():
        if key not in always and not isinstance(value, dict | list):
            return str(key)
    return None


def _selection_problems(
    records: list[Any], chosen: list[Any], name: str, always: set[str]
) -> list[str]:
    """How the selected records differ from ``name`` + ``always`` of the full ones."""
    by_id = {str(r.get("id")): r for r in records if isinstance(r, dict)}
    problems: list[str] = []
    for index, record in enumerate(chosen):
        if not isinstance(record, dict):
            problems.append(f"/{index} is not an object")
            continue
        extra = sorted(set(record) - always - {name})
        missing = sorted(always - set(record))
        if extra:
            problems.append(f"/{index} keeps unrequested attributes {extra}")
        if missing:
            problems.append(f"/{index} lost {missing}, which is always kept")
        before = by_id.get(str(record.get("id")))
        if (
            before is not None
            and name in before
            and loosely(record.get(name)) != loosely(before[name])
        ):
            problems.append(f"/{index} {name} differs from the unselected record")
    return problems


@check(
    "representation.fields",
    concern="vendor",
    requires=(FIELDS,),
    aliases=("rules_a.fields",),
)
def fields(ctx: CheckContext) -> None:
    """The fields parameter keeps only the named attributes of each record, and the id."""
    selection = ctx.feature(FIELDS)
    param = selection.param
    always = set(selection.always_included)
    op = ctx.profile.main_operation
    full = call(ctx, op)  # fresh: compared with the selection that follows
    records = items_of(ctx, full.json()) if is_success(full) else None
    if not records:
        ctx.skip(f"{op.path} returned no records to select attributes from")
    name = _pick_field(records, selection.example, always)
    if name is None:
        ctx.skip(f"the records of {op.path} have no plain attribute to select")
    picked = call(ctx, op, params={param: name})
    chosen = items_of(ctx, picked.json()) if is_success(picked) else None
    if chosen is None:
        ctx.finding(
            f"{param}={name} refused",
            f"GET {op.path}?{param}={name} answered {picked.status} without a list of records",
            picked,
        )
        return
    problems = _selection_problems(records, chosen, name, always)
    if problems:
        ctx.finding(
            f"{param}={name} does not select attributes",
            f"GET {op.path}?{param}={name}: " + shown(problems),
            picked,
        )
