"""Record fields: records carry the fields their vendor documents.

``records.item-schema`` validates each record of every documented collection against the
operation's item schema (one run per collection; the finding is about the operation, so a
vendor links each collection's clause as ``records.item-schema:<operation id>``).
``records.observed-fields`` compares the main records with the field set the profile lists
in ``[features.ticket_fields]`` (which fields may be null, which follow a pattern; a set
observed elsewhere rather than documented is checked leniently).
"""

from __future__ import annotations

import re

from harness.checks._context import CheckContext
from harness.checks._ops import fetch_operation, public_note, read_operations, shown
from harness.checks._registry import check
from harness.checks.records._common import main_records, records_of, usable
from harness.checks.records._features import OBSERVED_FIELDS
from harness.client import Exchange
from harness.profiles import Operation, Profile

MAX_RECORDS = 100


def _listed(op: Operation) -> bool:
    return read_operations(op) and op.kind == "list" and op.item_schema is not None


def _collections(profile: Profile) -> tuple[str, ...]:
    """One aspect per documented collection with an item schema: its operation id."""
    return tuple(op.id for op in profile.operations if _listed(op))


@check(
    "records.item-schema",
    concern="vendor",
    per_operation=_listed,
    aspects=_collections,
    health=True,
    aliases=("rules_b.record-fields",),
)
def item_schema(ctx: CheckContext) -> None:
    """Every record of a documented collection carries its documented fields and types."""
    op = ctx.operation
    assert op is not None and op.item_schema is not None
    note = public_note(ctx, op.id)
    exchange = fetch_operation(ctx, op)
    if not usable(ctx, exchange, op.path):
        ctx.skip(f"{op.path} answered {exchange.status}: no records to examine")
    found = records_of(ctx, op, exchange.json())
    if found is None:
        ctx.finding(
            f"{op.id}: no record list",
            f"{op.method} {op.path} answered {exchange.status} without its list of records "
            f"(expected beside the envelope, named after the resource){note}",
            exchange,
            aspect=op.id,
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
            aspect=op.id,
        )


@check(
    "records.observed-fields",
    concern="vendor",
    requires=(OBSERVED_FIELDS,),
    aliases=("rules_a.record-fields",),
)
def observed_fields(ctx: CheckContext) -> None:
    """Main records carry the observed field set: listed fields are non-null unless
    nullable, fields with a documented pattern follow it; strict mode (or a documented
    set) also requires every field."""
    table = ctx.feature(OBSERVED_FIELDS)
    nullable = set(table.nullable)
    patterns = {name: re.compile(p) for name, p in (table.patterns or {}).items()}
    source = ctx.feature_source(OBSERVED_FIELDS)
    observed = (
        " (observed elsewhere, in PUBLIC-FACTS.md; not in the document)"
        if source == "public-facts"
        else ""
    )
    problems: dict[str, tuple[list[str], Exchange]] = {}
    for where, record, exchange in main_records(ctx):
        if not isinstance(record, dict):
            continue
        found_here: list[str] = []
        missing = [f for f in table.fields if f not in record]
        if missing and (ctx.strict or source == "document"):
            found_here.append(f"{where} lacks {missing}")
        for name in table.fields:
            value = record.get(name)
            if name in record and value is None and name not in nullable:
                found_here.append(f"{where}/{name} is null")
            pattern = patterns.get(name)
            if (
                pattern
                and value is not None
                and not (isinstance(value, str) and pattern.match(value))
            ):
                found_here.append(f"{where}/{name} = {value!r} breaks {pattern.pattern}")
        if found_here:
            problems.setdefault(exchange.url, ([], exchange))[0].extend(found_here)
    for items, exchange in problems.values():
        ctx.finding("record fields differ from the observed set", shown(items) + observed, exchange)
