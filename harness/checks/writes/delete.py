"""Deleting a record: DELETE of a record the harness created (a fresh one, never seeded
data) answers the documented status, with an empty body where the document says so, and
the record cannot be read afterwards (404)."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import call, is_success, object_operation, placeholder, record_id
from harness.checks._registry import check
from harness.checks.writes._common import (
    creatable,
    create_body,
    create_operation,
    delete_operation,
)
from harness.checks.writes._features import WRITE_STATUSES
from harness.client import Exchange
from harness.profiles import Operation, Profile


def _delete_applies(profile: Profile) -> str | None:
    create = create_operation(profile)
    if create is None or delete_operation(profile, create) is None:
        return "the profile documents no delete of a created record"
    return creatable(profile)


def _expected(ctx: CheckContext, op: Operation) -> tuple[int, bool]:
    """The documented status of a delete and whether its answer has no body."""
    statuses = ctx.optional_feature(WRITE_STATUSES)
    expected = op.status or (statuses.delete if statuses and statuses.delete else 204)
    spec = ctx.profile.statuses.get(expected)
    empty = bool(statuses and statuses.delete_empty_body) or bool(spec and spec.empty_body)
    return expected, empty


def _judge_gone(ctx: CheckContext, create: Operation, rid: object, gone: Exchange) -> None:
    """The deleted record reads 404."""
    reader = object_operation(ctx, create.path)
    if reader is None or not is_success(gone):
        return
    after = call(ctx, reader, ids={placeholder(reader): rid})
    if after.status != 404:
        ctx.finding(
            "deleted record still readable",
            f"{reader.path} of the deleted record answered {after.status} instead of 404",
            gone,
            after,
        )


@check(
    "writes.delete",
    concern="vendor",
    applies=_delete_applies,
    needs=("writes",),
    aliases=("rules_a.delete",),
)
def delete(ctx: CheckContext) -> None:
    """Deleting a record the harness created answers the documented status with an empty
    body, and the record is gone afterwards."""
    create = create_operation(ctx.profile)
    assert create is not None
    op = delete_operation(ctx.profile, create)
    assert op is not None
    body, _ = create_body(ctx, create)
    made = call(ctx, create, body=body)  # a record of its own: the others may be in use
    record = made.json()
    rid = record_id(record) if isinstance(record, dict) else None
    if not is_success(made) or rid is None:
        ctx.skip(f"could not create a record to delete ({create.path} answered {made.status})")
    expected, empty = _expected(ctx, op)
    gone = call(ctx, op, ids={placeholder(op): rid})
    if gone.status != expected:
        ctx.finding(
            f"delete answered {gone.status}",
            f"{op.method} {op.path} of a record the harness created answered {gone.status} "
            f"instead of {expected}",
            gone,
        )
    elif empty and gone.content.strip():
        ctx.finding(
            f"{expected} with a body",
            f"{op.method} {op.path} answered {expected} with {len(gone.content)} body bytes",
            gone,
        )
    _judge_gone(ctx, create, rid, gone)
