"""Data-type rules over everything the documented reads return: UUID ids, UTC timestamps,
documented enum values, the observed record fields; and the served OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import items_of, list_operation_for, read_operations
from harness.checks._registry import check
from harness.checks.rules_a import (
    feature,
    fetch_object,
    is_success,
    list_page,
    requires,
    shown,
    walk,
)
from harness.client import Exchange
from harness.profiles import Operation, Profile

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
TIMESTAMP_LIKE = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
META_KEYS = frozenset({"clauses", "source", "section"})  # feature keys that describe the table


def _size(ctx: CheckContext) -> int | None:
    return ctx.profile.pagination.max_size or ctx.profile.pagination.default_size


def _answers(ctx: CheckContext, ops: list[Operation]) -> Iterator[tuple[Operation, Exchange]]:
    """A successful answer of each read (lists: one large first page)."""
    for op in ops:
        if op.kind == "list":
            exchange: Exchange | None = list_page(ctx, op, _size(ctx) if op.paged else None)
        else:
            exchange = fetch_object(ctx, op)
        if exchange is not None and is_success(exchange) and exchange.json() is not None:
            yield op, exchange


def _all_reads(ctx: CheckContext) -> list[Operation]:
    return [op for op in ctx.profile.operations if read_operations(op)]


def _main_reads(ctx: CheckContext) -> list[Operation]:
    """The main collection and the documented read of one of its records."""
    main = ctx.profile.main_operation
    return [main] + [
        op
        for op in ctx.profile.operations
        if op.kind == "object" and not op.write and list_operation_for(ctx, op) == main
    ]


def main_records(ctx: CheckContext) -> list[tuple[str, Any, Exchange]]:
    """(where, record, exchange) for every record of the main collection and its reads;
    skips the check when there is none to judge."""
    found: list[tuple[str, Any, Exchange]] = []
    for op, exchange in _answers(ctx, _main_reads(ctx)):
        body = exchange.json()
        if op.kind == "list":
            records = items_of(ctx, body) or []
            found += [(f"{op.id}/{i}", r, exchange) for i, r in enumerate(records)]
        elif isinstance(body, dict):
            found.append((op.id, body, exchange))
    if not found:
        ctx.skip("the main collection answered no records to judge")
    return found


def _other_id_patterns(profile: Profile) -> list[re.Pattern[str]]:
    """Documented patterns of non-UUID identifiers (e.g. human-facing display ids)."""
    return [
        re.compile(str(value))
        for table in profile.features.values()
        for key, value in table.items()
        if key.endswith("_pattern") and isinstance(value, str)
    ]


def _uuid_applies(profile: Profile) -> str | None:
    return None if profile.id_format == "uuid" else "the profile's ids are not UUIDs"


@check("rules_a.uuid-ids", concern="vendor", applies=_uuid_applies, health=True)
def uuid_ids(ctx: CheckContext) -> None:
    """Every id and *_id reference in every documented read is a hyphenated UUID."""
    others = _other_id_patterns(ctx.profile)
    for op, exchange in _answers(ctx, _all_reads(ctx)):
        bad = [
            f"{pointer} = {value!r}"
            for pointer, key, value in walk(exchange.json())
            if isinstance(key, str)
            and (key == "id" or key.endswith("_id"))
            and value is not None
            and not (isinstance(value, str) and UUID.match(value))
            and not (isinstance(value, str) and any(p.match(value) for p in others))
        ]
        if bad:
            ctx.finding(f"{op.id}: ids that are not UUIDs", shown(bad), exchange)


def _timestamp_problem(key: str, value: Any) -> str | None:
    if isinstance(value, str) and TIMESTAMP_LIKE.match(value):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return "not ISO 8601"
        return None if value.endswith("Z") else "not UTC with the Z designator"
    if key.endswith("_at") and isinstance(value, int | float) and not isinstance(value, bool):
        return "an epoch number, not ISO 8601"
    return None


def _utc_applies(profile: Profile) -> str | None:
    if profile.timestamp_format == "iso8601-utc":
        return None
    return "the profile does not document UTC ISO 8601 timestamps"


@check("rules_a.utc-timestamps", concern="vendor", applies=_utc_applies, health=True)
def utc_timestamps(ctx: CheckContext) -> None:
    """Every timestamp in every documented read is ISO 8601 in UTC, ending with Z."""
    for op, exchange in _answers(ctx, _all_reads(ctx)):
        bad = [
            f"{pointer} = {value!r} ({problem})"
            for pointer, key, value in walk(exchange.json())
            if (problem := _timestamp_problem(str(key), value))
        ]
        if bad:
            ctx.finding(f"{op.id}: timestamps not in UTC Z form", shown(bad), exchange)


def enum_fields(profile: Profile) -> dict[str, list[str]]:
    """Record attributes with documented value sets (lists of strings in [features.enums])."""
    return {
        str(k): [str(x) for x in v]
        for k, v in feature(profile, "enums").items()
        if k not in META_KEYS and isinstance(v, list) and v and all(isinstance(x, str) for x in v)
    }


@check("rules_a.enum-values", concern="vendor", applies=requires("enums"))
def enum_values(ctx: CheckContext) -> None:
    """Enumerated attributes of the main records hold documented values only."""
    fields = enum_fields(ctx.profile)
    bad: dict[str, tuple[list[str], Exchange]] = {}
    for where, record, exchange in main_records(ctx):
        if not isinstance(record, dict):
            continue
        for name, allowed in fields.items():
            if name in record and record[name] is not None and record[name] not in allowed:
                bad.setdefault(exchange.url, ([], exchange))[0].append(
                    f"{where}/{name} = {record[name]!r} (documented: {', '.join(allowed)})"
                )
    for problems, exchange in bad.values():
        ctx.finding("undocumented enum values", shown(problems), exchange)
