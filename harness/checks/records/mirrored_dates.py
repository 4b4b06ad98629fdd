"""Mirrored dates: a date given as Unix seconds and its ISO 8601 twin denote the same
instant.

Driven by ``[features.timestamps] mirrors``: each entry names the collection
(``operation``), the Unix-seconds field (``seconds``) and its ISO 8601 mirror
(``iso8601``). A mirror without an offset is read as UTC; leniently, a whole number of
quarter hours away (a local wall time, undocumented) is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import fetch_operation, public_note, record_id, shown
from harness.checks._registry import check
from harness.checks.records._common import records_of, usable
from harness.checks.records._features import TIMESTAMPS
from harness.profiles import Profile

MAX_RECORDS = 100


def _mirrors(profile: Profile) -> list[tuple[str, str, str]]:
    """(operation id, unix-seconds field, ISO 8601 mirror field) of each documented mirror."""
    table = TIMESTAMPS.read(profile)
    return [
        (str(m["operation"]), str(m["seconds"]), str(m["iso8601"]))
        for m in (table.mirrors if table else ())
    ]


def _has_mirrors(profile: Profile) -> str | None:
    if _mirrors(profile):
        return None
    return "the profile documents no Unix-seconds field mirrored by an ISO 8601 one"


def _seconds(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def mismatch(ctx: CheckContext, seconds: int, text: Any) -> str | None:
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


@check(
    "records.date-mirror",
    concern="vendor",
    requires=(TIMESTAMPS,),
    applies=_has_mirrors,
    aliases=("rules_b.date-mirror",),
)
def date_mirror(ctx: CheckContext) -> None:
    """A date given as Unix seconds and its ISO 8601 mirror denote the same instant."""
    checked = 0
    for op_id, field, mirror in _mirrors(ctx.profile):
        op = ctx.profile.operation(op_id)
        exchange = fetch_operation(ctx, op)
        if not usable(ctx, exchange, op.path):
            ctx.skip(f"{op.path} answered {exchange.status}: no records to examine")
        found = records_of(ctx, op, exchange.json())
        pointer, records = found if found is not None else ("", [])
        problems = []
        for index, record in enumerate(records[:MAX_RECORDS]):
            if not isinstance(record, Mapping):
                continue
            seconds = _seconds(record.get(field))
            if seconds is None or record.get(mirror) is None:
                continue  # a missing or mistyped field is the item-schema check's business
            checked += 1
            why = mismatch(ctx, seconds, record[mirror])
            if why:
                name = record_id(record) or f"{pointer}/{index}"
                problems.append(f"{name}: {field} {seconds} vs {mirror} {why}")
        if problems:
            ctx.finding(
                f"{op.id}: {field} and {mirror} disagree",
                f"{len(problems)} record(s): {shown(problems)}{public_note(ctx)}",
                exchange,
            )
    if not checked:
        ctx.skip("no listed record carries both mirrored dates")
