"""Records: listed records carry their documented fields, and mirrored dates agree.

``rules_b.record-fields`` validates each record of a documented collection against the
operation's item schema; it blames the linked clause about that collection (the one whose
summary names the operation's path, else its resource). ``rules_b.date-mirror`` is driven
by a ``[features.<resource>]`` table holding ``<field> = "unix-seconds"`` and
``<field>_mirror = "<iso field>"``: both fields must denote the same instant.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import fetch_operation, read_operations, record_id
from harness.checks._registry import check
from harness.checks.rules_b import (
    clause_about,
    public_note,
    records_of,
    shown,
    usable,
)
from harness.client import Exchange
from harness.profiles import Operation, Profile

MAX_RECORDS = 100


def _listed(op: Operation) -> bool:
    return read_operations(op) and op.kind == "list" and op.item_schema is not None


def _clause_for(ctx: CheckContext, op: Operation) -> str | None:
    """The linked clause about this collection: by its path, else by its resource name."""
    resource = op.id.split(".", 1)[0]
    for terms in ((op.path,), (resource,), (resource.removesuffix("s"),)):
        found = clause_about(ctx, *terms)
        if found is not None:
            return found
    return None


def _records(ctx: CheckContext, op: Operation) -> tuple[Exchange, tuple[str, list[Any]] | None]:
    """The collection's first answer and its (pointer, records); skips when refused."""
    exchange = fetch_operation(ctx, op)
    if not usable(ctx, exchange, op.path):
        ctx.skip(f"{op.path} answered {exchange.status}: no records to examine")
    return exchange, records_of(ctx, op, exchange.json())


@check("rules_b.record-fields", concern="vendor", per_operation=_listed, health=True)
def record_fields(ctx: CheckContext) -> None:
    """Every record of a documented collection carries its documented fields and types."""
    op = ctx.operation
    assert op is not None and op.item_schema is not None
    clause = _clause_for(ctx, op)
    note = public_note(ctx, clause)
    exchange, found = _records(ctx, op)
    if found is None:
        ctx.finding(
            f"{op.id}: no record list",
            f"{op.method} {op.path} answered {exchange.status} without its list of records "
            f"(expected beside the envelope, named after the resource){note}",
            exchange,
            clause=clause,
        )
        return
    pointer, records = found
    problems: list[str] = []
    for index, record in enumerate(records[:MAX_RECORDS]):
        for violation in ctx.validate(op.item_schema, record):
            where = f"{pointer}/{index}{violation.pointer}"
            problems.append(f"{where}: {violation.message}")
    if problems:
        ctx.finding(
            f"{op.id}: records break {op.item_schema}",
            f"{len(problems)} problem(s): {shown(problems)}{note}",
            exchange,
            clause=clause,
        )


# ---------------------------------------------------------------- mirrored dates


def _mirrors(profile: Profile) -> list[tuple[str, str, str]]:
    """(feature name, unix-seconds field, ISO 8601 mirror field) from the feature tables."""
    found = []
    for name, table in profile.features.items():
        for key, value in table.items():
            mirror = table.get(f"{key}_mirror")
            if value == "unix-seconds" and isinstance(mirror, str):
                found.append((name, key, mirror))
    return found


def _has_mirrors(profile: Profile) -> str | None:
    if _mirrors(profile):
        return None
    return "the profile documents no Unix-seconds field mirrored by an ISO 8601 one"


def _operation_for(ctx: CheckContext, resource: str) -> Operation | None:
    for op in ctx.profile.operations:
        if read_operations(op) and op.kind == "list" and op.id.split(".", 1)[0] == resource:
            return op
    return None


def _seconds(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _mismatch(ctx: CheckContext, seconds: int, text: Any) -> str | None:
    """Why ``text`` does not denote the instant ``seconds`` (None when it does)."""
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return f"{text!r} is not an ISO 8601 date-time"
    if moment.tzinfo is not None:
        delta = moment.timestamp() - seconds
        return None if delta == 0 else f"{text!r} is {delta:+.0f} s from {seconds}"
    delta = moment.replace(tzinfo=UTC).timestamp() - seconds
    if delta == 0:
        return None
    if not ctx.strict and delta % 900 == 0 and abs(delta) <= 14 * 3600:
        return None  # a local wall time without an offset: undocumented, accepted leniently
    return f"{text!r} (no offset, read as UTC) is {delta:+.0f} s from {seconds}"


@check("rules_b.date-mirror", concern="vendor", applies=_has_mirrors)
def date_mirror(ctx: CheckContext) -> None:
    """A date given as Unix seconds and its ISO 8601 mirror denote the same instant."""
    checked = 0
    for resource, field, mirror in _mirrors(ctx.profile):
        op = _operation_for(ctx, resource) or ctx.profile.main_operation
        clause = clause_about(ctx, field) or clause_about(ctx, mirror)
        exchange, found = _records(ctx, op)
        pointer, records = found if found is not None else ("", [])
        problems = []
        for index, record in enumerate(records[:MAX_RECORDS]):
            if not isinstance(record, Mapping):
                continue
            seconds = _seconds(record.get(field))
            if seconds is None or record.get(mirror) is None:
                continue  # a missing or mistyped field is the record-fields check's business
            checked += 1
            why = _mismatch(ctx, seconds, record[mirror])
            if why:
                name = record_id(record) or f"{pointer}/{index}"
                problems.append(f"{name}: {field} {seconds} vs {mirror} {why}")
        if problems:
            ctx.finding(
                f"{op.id}: {field} and {mirror} disagree",
                f"{len(problems)} record(s): {shown(problems)}{public_note(ctx, clause)}",
                exchange,
                clause=clause,
            )
    if not checked:
        ctx.skip("no listed record carries both mirrored dates")
