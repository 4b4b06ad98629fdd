"""Replayed creates: a create repeated with the same idempotency key replays the first
result and adds no second record.

Driven by ``[features.idempotency]``: ``headers`` (the first is the main header, the others
alternatives honoured the same way) and ``applies_to`` (the operation kind, default
``create``). Each probe sends a documented create twice with one fresh UUID v4 key and
compares the two answers, and the collection before and after. Write probes: they run only
where the target allows writes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import (
    call,
    list_operation_for,
    read_operations,
    record_id,
)
from harness.checks._registry import check
from harness.checks.envelope._features import ENVELOPE
from harness.checks.idempotency._features import IDEMPOTENCY
from harness.checks.records._common import records_of, usable
from harness.profiles import Operation, Profile

_PLACEHOLDER = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)\}$")


def _creates(profile: Profile) -> list[Operation]:
    table = IDEMPOTENCY.read(profile)
    kind = table.applies_to if table else "create"
    return [op for op in profile.operations if op.write and op.kind == kind]


def _applies(minimum: int) -> Callable[[Profile], str | None]:
    def applies(profile: Profile) -> str | None:
        table = IDEMPOTENCY.read(profile)
        if table is None or len(table.headers) < minimum:
            what = "an idempotency header" if minimum == 1 else "an alternative idempotency header"
            return f"[features.idempotency] documents no {what}"
        if not _creates(profile):
            return "the profile documents no operation the idempotency keys apply to"
        return None

    return applies


@dataclass(frozen=True)
class Plan:
    """A create to repeat: its body (ids of existing records filled in), the collection it
    adds to, and the member holding a record's id."""

    create: Operation
    body: Mapping[str, Any]
    listing: Operation | None
    id_field: str


@memoized
def first_listed(ctx: CheckContext, op: Operation) -> Mapping[str, Any] | None:
    """The first record of a collection's default answer (None when there is none)."""
    exchange = call(ctx, op)
    found = records_of(ctx, op, exchange.json()) if 200 <= exchange.status < 300 else None
    first = found[1][0] if found and found[1] else None
    return first if isinstance(first, Mapping) else None


def _fill(ctx: CheckContext, template: Mapping[str, Any]) -> dict[str, Any] | None:
    """The body template with each ``"{field}"`` value taken from an existing record."""
    injected = {a.name for a in ctx.profile.auth if a.kind == "body" and a.name}
    body: dict[str, Any] = {}
    for name, value in template.items():
        match = _PLACEHOLDER.match(value) if isinstance(value, str) else None
        if match is None:
            body[name] = value
            continue
        if name in injected:
            body[name] = ""  # the auth flow puts the token here
            continue
        found = None
        for op in ctx.profile.operations:
            if read_operations(op) and op.kind == "list" and "{" not in op.path:
                record = first_listed(ctx, op)
                if record is not None and record.get(match.group(1)) is not None:
                    found = record[match.group(1)]
                    break
        if found is None:
            return None
        body[name] = found
    return body


@memoized
def create_plan(ctx: CheckContext) -> Plan | None:
    """The documented create with the fewest ids to fill that can be filled (None: none)."""
    creates = sorted(
        _creates(ctx.profile),
        key=lambda op: sum(1 for v in op.body.values() if isinstance(v, str) and "{" in v),
    )
    for op in creates:
        body = _fill(ctx, op.body)
        if body is None:
            continue
        id_field = "id"
        for other in ctx.profile.operations:
            if other.kind == "object" and other.path.startswith(op.path + "/{"):
                id_field = other.path[len(op.path) + 2 :].split("}", 1)[0]
                break
        return Plan(op, body, list_operation_for(ctx, op), id_field)
    return None


def _payload(ctx: CheckContext, body: Any) -> Any:
    """The created record: under the envelope's data member when there is one."""
    env = ctx.optional_feature(ENVELOPE)
    data = (env.data_field if env else None) or "data"
    if isinstance(body, Mapping) and isinstance(body.get(data), Mapping):
        return body[data]
    return body


def _listed(ctx: CheckContext, plan: Plan) -> dict[str, Any] | None:
    """The listed records by id (None when the collection cannot be read)."""
    if plan.listing is None:
        return None
    exchange = call(ctx, plan.listing)
    if not 200 <= exchange.status < 300:
        return None
    found = records_of(ctx, plan.listing, exchange.json())
    if found is None:
        return None
    return {repr(record_id(r, plan.id_field)): r for r in found[1]}


def _matches(record: Any, sent: Mapping[str, Any]) -> bool:
    """A listed record carries every scalar value the create sent."""
    return isinstance(record, Mapping) and all(
        record.get(k) == v for k, v in sent.items() if isinstance(v, str | int | float | bool)
    )


def _replay(ctx: CheckContext, header: str) -> None:
    plan = create_plan(ctx)
    if plan is None:
        ctx.skip("no documented create could be filled with ids of existing records")
    body = dict(plan.body)
    before = _listed(ctx, plan)
    key = str(uuid.uuid4())
    first = call(ctx, plan.create, body=body, headers={header: key})
    if not usable(ctx, first, f"the create {plan.create.id}"):
        ctx.skip(f"the create {plan.create.id} answered {first.status}: nothing to replay")
    first_record = _payload(ctx, first.json())
    first_id = record_id(first_record, plan.id_field)
    if first_id is None:
        ctx.skip(f"the create {plan.create.id} answered no {plan.id_field}: cannot compare")
    second = call(ctx, plan.create, body=body, headers={header: key})
    second_record = _payload(ctx, second.json())
    second_id = record_id(second_record, plan.id_field)
    what = f"{plan.create.method} {plan.create.path} twice with {header}: {key}"
    if second.status != first.status or second_id != first_id:
        ctx.finding(
            f"{header} not honoured: the repeat made a new result",
            f"{what}: the first answer was {first.status} with {plan.id_field} {first_id!r}, "
            f"the repeat {second.status} with {plan.id_field} {second_id!r} instead of the "
            "first result again",
            first,
            second,
        )
        return
    if ctx.strict and second_record != first_record:
        ctx.finding(
            f"{header}: the repeat answered a different record",
            f"{what}: same {plan.id_field} {first_id!r}, but the record differs from the "
            "first answer (strict: the first result must be replayed as it was)",
            first,
            second,
        )
        return
    after = _listed(ctx, plan)
    if before is None or after is None or plan.listing is None:
        return
    added = [rid for rid, r in after.items() if rid not in before and _matches(r, body)]
    if len(added) >= 2:
        ctx.finding(
            f"{header} not honoured: the collection grew by {len(added)}",
            f"{what}: {plan.listing.path} gained {len(added)} records like the one sent "
            f"({', '.join(added[:4])}) where one create was expected",
            first,
            second,
        )


@check(
    "idempotency.replay",
    concern="vendor",
    requires=(IDEMPOTENCY,),
    applies=_applies(1),
    needs=("writes",),
    aliases=("rules_b.idempotency-replay",),
)
def replay(ctx: CheckContext) -> None:
    """A create repeated with the same idempotency key replays the first result and adds
    no second record."""
    _replay(ctx, ctx.feature(IDEMPOTENCY).headers[0])


@check(
    "idempotency.alt-header",
    concern="vendor",
    requires=(IDEMPOTENCY,),
    applies=_applies(2),
    needs=("writes",),
    aliases=("rules_b.idempotency-alt-header",),
)
def alt_header(ctx: CheckContext) -> None:
    """Each alternative idempotency header is honoured like the main one."""
    for header in ctx.feature(IDEMPOTENCY).headers[1:]:
        _replay(ctx, header)
