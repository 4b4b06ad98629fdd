"""Identifier formats: the ids in documented answers have the documented form.

Two checks, because vendors document ids in two ways: ``records.uuid-ids`` for a profile
whose ``[formats] id`` is ``uuid`` (every ``id`` and ``*_id`` member is a hyphenated UUID,
or a value of a field with its own documented pattern, such as a display id), and
``records.id-fields`` for a profile naming its id fields and their pattern in
``[features.ids]``.
"""

from __future__ import annotations

import re

from harness.checks._context import CheckContext
from harness.checks._ops import shown, walk
from harness.checks._registry import check
from harness.checks.records._common import all_reads, large_answers, read_bodies
from harness.checks.records._features import IDS, OBSERVED_FIELDS
from harness.profiles import Profile

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _other_id_patterns(profile: Profile) -> list[re.Pattern[str]]:
    """Documented patterns of non-UUID identifiers (human-facing display ids)."""
    observed = OBSERVED_FIELDS.read(profile)
    patterns = (observed.patterns if observed else None) or {}
    return [re.compile(str(p)) for p in patterns.values()]


def _uuid_applies(profile: Profile) -> str | None:
    return None if profile.id_format == "uuid" else "the profile's ids are not UUIDs"


@check(
    "records.uuid-ids",
    concern="vendor",
    applies=_uuid_applies,
    health=True,
    aliases=("rules_a.uuid-ids",),
)
def uuid_ids(ctx: CheckContext) -> None:
    """Every id and *_id reference in every documented read is a hyphenated UUID."""
    others = _other_id_patterns(ctx.profile)
    for op, exchange in large_answers(ctx, all_reads(ctx)):
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


@check(
    "records.id-fields",
    concern="vendor",
    requires=(IDS,),
    health=True,
    aliases=("rules_b.id-format",),
)
def id_fields(ctx: CheckContext) -> None:
    """Every documented identifier field of every read is a string in the documented form."""
    ids = ctx.feature(IDS)
    fields = set(ids.fields)
    pattern = re.compile(ids.pattern)
    for op, exchange in read_bodies(ctx):
        problems = [
            f"{pointer} = {value!r}"
            for pointer, key, value in walk(exchange.json(), list_items=False)
            if key in fields
            and value is not None
            and not (isinstance(value, str) and pattern.fullmatch(value))
        ]
        if problems:
            ctx.finding(
                f"{op.id}: identifiers not in the documented form",
                f"{len(problems)} id value(s) are not strings matching {pattern.pattern}: "
                + shown(problems),
                exchange,
            )
