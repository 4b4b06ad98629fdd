"""Timestamps: the date-times in documented answers are in the documented UTC notation.

Two checks, because vendors document timestamps in two ways: ``records.utc-timestamps``
for a profile whose ``[formats] timestamp`` is ``iso8601-utc`` (every value that looks
like a date-time is ISO 8601 ending with ``Z``, and no ``*_at`` member is an epoch
number), and ``records.timestamp-fields`` for a profile listing
its timestamp fields and their schema in ``[features.timestamps]`` (validated with the
strict reading's schema in strict mode).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import shown, walk
from harness.checks._registry import check
from harness.checks.records._common import all_reads, large_answers, read_bodies
from harness.checks.records._features import TIMESTAMPS
from harness.profiles import Profile

TIMESTAMP_LIKE = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


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


@check(
    "records.utc-timestamps",
    concern="vendor",
    applies=_utc_applies,
    health=True,
    aliases=("rules_a.utc-timestamps",),
)
def utc_timestamps(ctx: CheckContext) -> None:
    """Every timestamp in every documented read is ISO 8601 in UTC, ending with Z."""
    for op, exchange in large_answers(ctx, all_reads(ctx)):
        bad = [
            f"{pointer} = {value!r} ({problem})"
            for pointer, key, value in walk(exchange.json())
            if (problem := _timestamp_problem(str(key), value))
        ]
        if bad:
            ctx.finding(f"{op.id}: timestamps not in UTC Z form", shown(bad), exchange)


def _has_timestamp_fields(profile: Profile) -> str | None:
    table = TIMESTAMPS.read(profile)
    if table is None or not table.fields:
        return "the profile lists no timestamp fields in [features.timestamps]"
    if not (profile.folder / table.schema).is_file():
        return f"the profile has no {table.schema} to check timestamps against"
    return None


@check(
    "records.timestamp-fields",
    concern="vendor",
    applies=_has_timestamp_fields,
    health=True,
    aliases=("rules_b.timestamps",),
)
def timestamp_fields(ctx: CheckContext) -> None:
    """Every timestamp field of every documented read is in the documented UTC notation."""
    table = ctx.feature(TIMESTAMPS)
    fields = set(table.fields)
    for op, exchange in read_bodies(ctx):
        problems = []
        for pointer, key, value in walk(exchange.json(), list_items=False):
            if key not in fields or value is None:
                continue
            violations = ctx.validate(table.schema, value)
            if violations:
                problems.append(f"{pointer} = {value!r}: {violations[0].message}")
        if problems:
            used = ctx.schema(table.schema).rsplit("/", 1)[-1]
            reading = "strict reading" if ctx.strict else "accepting every documented reading"
            ctx.finding(
                f"{op.id}: timestamps not in UTC notation",
                f"{len(problems)} timestamp value(s) break {used} ({reading}): " + shown(problems),
                exchange,
            )
