"""Nested related records: records embed related records as objects with an id, under
capitalised keys (or the known keys of ``[features.nesting]``); strict mode also refuses
a null related record and a record nested under a key that is not capitalised."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import public_note, shown
from harness.checks._registry import check
from harness.checks.collections._features import NESTING
from harness.checks.records._common import read_bodies, records_of
from harness.profiles import Operation


def _records(ctx: CheckContext, op: Operation, body: Any) -> list[Any]:
    if op.kind == "list":
        found = records_of(ctx, op, body)
        return found[1] if found is not None else []
    return [body]


def _related_problems(ctx: CheckContext, record: Mapping[str, Any], where: str) -> list[str]:
    known = set(ctx.feature(NESTING).known_keys)
    integer = ctx.profile.id_format == "integer"
    problems = []
    for key, value in record.items():
        if key[:1].isupper() or key in known:
            if value is None:
                if ctx.strict:
                    problems.append(f"{where}/{key} is null")
                continue
            # a has-many relation: a list of related records, each checked as one
            many = isinstance(value, list) and all(isinstance(v, Mapping) for v in value)
            if not many and not isinstance(value, Mapping):
                problems.append(f"{where}/{key} is {type(value).__name__}, not an object")
                continue
            nested = list(enumerate(value)) if many else [(None, value)]
            for index, item in nested:
                rid = item.get("id")
                good = (
                    (isinstance(rid, int) and not isinstance(rid, bool)) if integer else bool(rid)
                )
                at = f"{where}/{key}" if index is None else f"{where}/{key}/{index}"
                if not good:
                    problems.append(f"{at}/id is {rid!r}, not an {ctx.profile.id_format} id")
        elif ctx.strict and isinstance(value, Mapping) and "id" in value:
            problems.append(f"{where}/{key} nests a record under a key that is not capitalised")
    return problems


@check(
    "collections.nested-related",
    concern="vendor",
    requires=(NESTING,),
    aliases=("rules_b.nested-related",),
)
def nested_related(ctx: CheckContext) -> None:
    """Related records nest as objects with an id under capitalised keys."""
    note = public_note(ctx)
    for op, exchange in read_bodies(ctx):
        problems: list[str] = []
        for index, record in enumerate(_records(ctx, op, exchange.json())):
            if isinstance(record, Mapping):
                where = f"/{index}" if op.kind == "list" else ""
                problems += _related_problems(ctx, record, where)
        if problems:
            ctx.finding(
                f"{op.id}: related records not nested as documented",
                f"{len(problems)} problem(s): {shown(problems)}{note}",
                exchange,
            )
