"""Vendor behaviours (rules_b): shared helpers, and the formats of record fields.

Everything is driven by the profile's ``[features.*]`` tables and operations; nothing
names a vendor or a clause id. A check linked to several clauses of one vendor picks the
broken one by what the clause's summary is about (:func:`clause_about`). Shape checks
look at successful answers only: a refused or failed call belongs to other clauses, so it
makes the check skip (with the reason) rather than blame a data clause.

The sibling modules hold the other checks: ``rules_b_idempotency`` (replayed creates),
``rules_b_collections`` (counts, filters, encoding, nesting, resources) and
``rules_b_records`` (record fields, mirrored dates).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from harness.checks._context import CheckContext, CheckSkipped
from harness.checks._ops import fetch_operation, items_of, read_operations
from harness.checks._registry import check
from harness.client import Exchange
from harness.profiles import Operation, Profile

__all__ = [
    "clause_about",
    "feature",
    "public_note",
    "read_bodies",
    "records_of",
    "requires",
    "shown",
    "usable",
    "walk",
]

Applies = Callable[[Profile], str | None]


# ---------------------------------------------------------------- helpers


def feature(profile: Profile, name: str) -> Mapping[str, Any]:
    """The ``[features.<name>]`` table of a profile (empty when the profile has none)."""
    return profile.features.get(name) or {}


def requires(name: str, *keys: str) -> Applies:
    """An ``applies=`` that skips profiles whose ``[features.<name>]`` lacks any of ``keys``."""

    def applies(profile: Profile) -> str | None:
        table = feature(profile, name)
        if not table:
            return f"the profile documents no [features.{name}] behaviour"
        missing = [k for k in keys if not table.get(k)]
        if missing:
            return f"[features.{name}] gives no {', '.join(missing)}"
        return None

    return applies


def _mentions(text: str, term: str) -> bool:
    return re.search(rf"(?<![\w/-]){re.escape(term.lower())}(?![\w-])", text.lower()) is not None


def clause_about(ctx: CheckContext, *terms: str) -> str | None:
    """The one linked clause whose summary mentions every term (None when not exactly one:
    the finding then names every linked clause)."""
    fits = [c.id for c in ctx.clauses if all(_mentions(c.summary, t) for t in terms)]
    return fits[0] if len(fits) == 1 else None


def public_note(ctx: CheckContext, clause: str | None = None) -> str:
    """A remark for findings on facts observed elsewhere rather than documented."""
    linked = [c for c in ctx.clauses if clause is None or c.id == clause]
    if linked and all(c.source == "public-facts" for c in linked):
        return (
            " (a public fact observed elsewhere, not stated in the vendor document; "
            "checked leniently)"
            if not ctx.strict
            else " (a public fact observed elsewhere, not stated in the vendor document)"
        )
    return ""


def shown(values: list[str], limit: int = 5) -> str:
    """A short list for a finding message."""
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return "; ".join(values[:limit]) + more


def usable(ctx: CheckContext, exchange: Exchange, what: str) -> bool:
    """True for a 2xx answer. Refusals (auth, rate limit) skip the check: they are other
    clauses' business. Any other status returns False for the caller to judge."""
    if 200 <= exchange.status < 300:
        return True
    refused = {401, 403, 407, ctx.profile.rate_limit.exceeded_status, 429}
    if exchange.status in refused:
        ctx.skip(f"{what} answered {exchange.status} (refused or rate-limited); cannot verify")
    return False


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every (pointer, key, value) of an object member below a JSON value, depth first."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{pointer}/{key}"
            yield here, str(key), value
            yield from walk(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def read_bodies(ctx: CheckContext) -> list[tuple[Operation, Exchange]]:
    """Every documented read answered with a 2xx JSON body (shared with other checks'
    cache; reads that cannot be made concrete or that fail are left out)."""
    found: list[tuple[Operation, Exchange]] = []
    for op in ctx.profile.operations:
        if not read_operations(op):
            continue
        try:
            exchange = fetch_operation(ctx, op)
        except CheckSkipped:
            continue
        if 200 <= exchange.status < 300 and exchange.json() is not None:
            found.append((op, exchange))
    if not found:
        ctx.skip("no documented read answered successfully with a JSON body")
    return found


def records_of(ctx: CheckContext, op: Operation, body: Any) -> tuple[str, list[Any]] | None:
    """(pointer, records) of a list answer: the profile's items pointer for paged lists,
    else the member named after the operation's resource (``products`` for
    ``products.list``) at the top or one level down, else a bare array."""
    if op.paged:
        found = items_of(ctx, body)
        return (ctx.profile.pagination.items_pointer, found) if found is not None else None
    resource = op.id.split(".", 1)[0]
    if isinstance(body, Mapping):
        if isinstance(body.get(resource), list):
            return f"/{resource}", body[resource]
        for key, value in body.items():
            if isinstance(value, Mapping) and isinstance(value.get(resource), list):
                return f"/{key}/{resource}", value[resource]
        pointer = ctx.profile.pagination.items_pointer
        found = items_of(ctx, body)
        if found is not None:
            return pointer, found
    elif isinstance(body, list):
        return "", body
    return None


# ---------------------------------------------------------------- formats


def _timestamp_table(profile: Profile) -> Mapping[str, Any]:
    """The feature table that lists the profile's date/timestamp fields."""
    for name in ("dates", "timestamps"):
        table = feature(profile, name)
        if table.get("fields"):
            return table
    return {}


def _has_timestamps(profile: Profile) -> str | None:
    table = _timestamp_table(profile)
    if not table:
        return "the profile lists no timestamp fields in a [features.*] table"
    schema = str(table.get("schema") or "timestamp.schema.json")
    if not (profile.folder / schema).is_file():
        return f"the profile has no {schema} to check timestamps against"
    return None


@check("rules_b.timestamps", concern="vendor", applies=_has_timestamps, health=True)
def timestamps(ctx: CheckContext) -> None:
    """Every timestamp field of every documented read is in the documented UTC notation."""
    table = _timestamp_table(ctx.profile)
    fields = {str(f) for f in table.get("fields", [])}
    schema = str(table.get("schema") or "timestamp.schema.json")
    for op, exchange in read_bodies(ctx):
        problems = []
        for pointer, key, value in walk(exchange.json()):
            if key not in fields or value is None:
                continue
            violations = ctx.validate(schema, value)
            if violations:
                problems.append(f"{pointer} = {value!r}: {violations[0].message}")
        if problems:
            used = ctx.schema(schema).rsplit("/", 1)[-1]
            reading = "strict reading" if ctx.strict else "accepting every documented reading"
            ctx.finding(
                f"{op.id}: timestamps not in UTC notation",
                f"{len(problems)} timestamp value(s) break {used} ({reading}): " + shown(problems),
                exchange,
            )


def _has_ids(profile: Profile) -> str | None:
    table = feature(profile, "ids")
    if not table.get("fields") or not table.get("pattern"):
        return "the profile documents no id fields and pattern in [features.ids]"
    return None


@check("rules_b.id-format", concern="vendor", applies=_has_ids, health=True)
def id_format(ctx: CheckContext) -> None:
    """Every documented identifier field of every read is a string in the documented form."""
    table = feature(ctx.profile, "ids")
    fields = {str(f) for f in table["fields"]}
    pattern = re.compile(str(table["pattern"]))
    for op, exchange in read_bodies(ctx):
        problems = [
            f"{pointer} = {value!r}"
            for pointer, key, value in walk(exchange.json())
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
