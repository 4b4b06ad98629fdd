"""Partial updates: PATCH with one attribute changes that attribute and keeps every other
one, and so does PUT where the document gives it the meaning of PATCH. Each update
changes the record the harness created (:func:`~harness.checks.writes._common.created_record`),
never seeded data."""

from __future__ import annotations

import re
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, is_success, loosely, object_operation, placeholder, record_id
from harness.checks._registry import check
from harness.checks.writes._common import (
    MARK,
    CreatedRecord,
    creatable,
    create_operation,
    created_record,
    delete_operation,
    remove,
)
from harness.checks.writes._features import PUT_AS_PATCH
from harness.client import Exchange
from harness.profiles import Operation, Profile

_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def _volatile(key: str, value: Any) -> bool:
    """Attributes a server may change on any write (timestamps)."""
    return key.endswith("_at") or (isinstance(value, str) and bool(_TIMESTAMP.match(value)))


def working_record(ctx: CheckContext, create: Operation) -> tuple[CreatedRecord, dict[str, Any]]:
    """The record this harness created (shared by the update checks) and its last state;
    skips when the create made no usable record (the next caller tries again)."""
    created = created_record(ctx, create)
    if created.latest is None:
        created_record.forget(ctx, create)
        ctx.skip(
            f"could not create a record to update ({create.path} answered "
            f"{created.exchange.status})"
        )
    return created, created.latest


def _read_back(ctx: CheckContext, create: Operation, exchange: Exchange, rid: Any) -> Any:
    """The record after an update: from the answer, else read again (when documented)."""
    body = exchange.json()
    if isinstance(body, dict) and record_id(body) is not None:
        return body
    reader = object_operation(ctx, create.path)
    if reader is None:
        ctx.skip(f"the update answered {exchange.status} without the record; no read documented")
    return call(ctx, reader, ids={placeholder(reader): rid}).json()


def _judge_update(
    ctx: CheckContext,
    op: Operation,
    create: Operation,
    created: CreatedRecord,
    field: str,
    new: str,
) -> None:
    """Send ``{field: new}`` with ``op``: it is applied, and nothing else changes."""
    before = created.latest
    assert before is not None
    rid = record_id(before)
    sent = call(ctx, op, ids={placeholder(op): rid}, body={field: new})
    if not is_success(sent):
        ctx.finding(
            f"{op.method} refused ({sent.status})",
            f"{op.method} {op.path} with only {{{field!r}}} answered {sent.status}",
            sent,
        )
        return
    after = _read_back(ctx, create, sent, rid)
    if not isinstance(after, dict) or loosely(after.get(field)) != loosely(new):
        shown = after.get(field) if isinstance(after, dict) else after
        ctx.finding(
            f"{op.method} not applied",
            f"{op.method} {op.path} set {field} to {new!r}, the record has {shown!r}",
            sent,
        )
        return
    changed = [
        f"{k}: {before[k]!r} -> {after.get(k)!r}"
        for k in before
        if k != field
        and not _volatile(k, before[k])
        and loosely(after.get(k)) != loosely(before[k])
    ]
    if changed:
        ctx.finding(
            f"{op.method} changed attributes it was not sent",
            f"{op.method} {op.path} with only {field} also changed " + "; ".join(changed[:5]),
            sent,
        )
    created.latest = after


def partial_update(ctx: CheckContext, op: Operation) -> None:
    """Change one free-text attribute of the created record with ``op`` and judge it."""
    create = create_operation(ctx.profile)
    assert create is not None
    created, before = working_record(ctx, create)
    field = next((k for k, v in before.items() if isinstance(v, str) and MARK in v), None)
    if field is None:
        ctx.skip("the created record kept no free-text attribute to change")
    new = f"{MARK}: updated with {op.method}"
    if before[field] == new:
        new += " again"
    try:
        _judge_update(ctx, op, create, created, field, new)
    finally:
        if delete_operation(ctx.profile, create) is not None:
            remove(ctx, create, before)
            created_record.forget(ctx, create)


def _patch(op: Operation) -> bool:
    return op.write and op.kind == "update" and op.method == "PATCH"


@check(
    "writes.patch-partial",
    concern="vendor",
    applies=creatable,
    per_operation=_patch,
    needs=("writes",),
    aliases=("rules_a.patch-partial",),
)
def patch_partial(ctx: CheckContext) -> None:
    """PATCH with one attribute changes that attribute and keeps every other one."""
    assert ctx.operation is not None
    partial_update(ctx, ctx.operation)


def _put_operation(profile: Profile) -> Operation | None:
    """The update operation of the method documented as a partial update."""
    documented = PUT_AS_PATCH.read(profile)
    if documented is None:
        return None
    for op in profile.operations:
        if (
            op.write
            and op.kind == "update"
            and op.method == documented.method
            and (documented.example_path is None or op.path == documented.example_path)
        ):
            return op
    return None


def _put_applies(profile: Profile) -> str | None:
    if _put_operation(profile) is None:
        return "the profile lists no PUT update operation"
    return creatable(profile)


@check(
    "writes.put-as-patch",
    concern="vendor",
    requires=(PUT_AS_PATCH,),
    applies=_put_applies,
    needs=("writes",),
    aliases=("rules_a.put-as-patch",),
)
def put_as_patch(ctx: CheckContext) -> None:
    """PUT with one attribute is accepted as a partial update, like PATCH."""
    op = _put_operation(ctx.profile)
    assert op is not None
    partial_update(ctx, op)
