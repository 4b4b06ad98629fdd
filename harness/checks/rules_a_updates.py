"""Partial updates (PATCH, and PUT where the document gives it the same meaning) and
deletes, each on a record the harness created itself."""

from __future__ import annotations

import re
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, record_id
from harness.checks._registry import check
from harness.checks.rules_a import feature, is_success, loosely, object_operation, placeholder
from harness.checks.rules_a_writes import (
    MARK,
    creatable,
    create_body,
    create_operation,
    delete_operation,
    remove,
)
from harness.client import Exchange
from harness.profiles import Operation, Profile

_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def _volatile(key: str, value: Any) -> bool:
    """Attributes a server may change on any write (timestamps)."""
    return key.endswith("_at") or (isinstance(value, str) and bool(_TIMESTAMP.match(value)))


def working_record(ctx: CheckContext, create: Operation) -> dict[str, Any]:
    """A record this harness created (reused across update checks), creating one if needed."""
    key = f"rules_a:record:{create.id}"
    if key not in ctx.cache:
        body, _ = create_body(ctx, create)
        made = call(ctx, create, body=body)
        record = made.json()
        if not is_success(made) or not isinstance(record, dict) or record_id(record) is None:
            ctx.skip(f"could not create a record to update ({create.path} answered {made.status})")
        ctx.cache[key] = record
    found: dict[str, Any] = ctx.cache[key]
    return found


def _read_back(ctx: CheckContext, create: Operation, exchange: Exchange, rid: Any) -> Any:
    """The record after an update: from the answer, else read again (when documented)."""
    body = exchange.json()
    if isinstance(body, dict) and record_id(body) is not None:
        return body
    reader = object_operation(ctx, create.path)
    if reader is None:
        ctx.skip(f"the update answered {exchange.status} without the record; no read documented")
    return call(ctx, reader, ids={placeholder(reader): rid}).json()


def partial_update(ctx: CheckContext, op: Operation) -> None:
    create = create_operation(ctx.profile)
    assert create is not None
    before = working_record(ctx, create)
    field = next((k for k, v in before.items() if isinstance(v, str) and MARK in v), None)
    if field is None:
        ctx.skip("the created record kept no free-text attribute to change")
    new = f"{MARK}: updated with {op.method}"
    if before[field] == new:
        new += " again"
    rid = record_id(before)
    sent = call(ctx, op, ids={placeholder(op): rid}, body={field: new})
    try:
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
        ctx.cache[f"rules_a:record:{create.id}"] = after
    finally:
        if delete_operation(ctx.profile, create) is not None:
            remove(ctx, create, before)
            ctx.cache.pop(f"rules_a:record:{create.id}", None)


def _patch(op: Operation) -> bool:
    return op.write and op.kind == "update" and op.method == "PATCH"


@check(
    "rules_a.patch-partial",
    concern="vendor",
    applies=creatable,
    per_operation=_patch,
    needs=("writes",),
)
def patch_partial(ctx: CheckContext) -> None:
    """PATCH with one attribute changes that attribute and keeps every other one."""
    assert ctx.operation is not None
    partial_update(ctx, ctx.operation)


def _put_operation(profile: Profile) -> Operation | None:
    f = feature(profile, "put_as_patch")
    method = str(f.get("method") or "PUT")
    example = f.get("example_path")
    for op in profile.operations:
        if (
            op.write
            and op.kind == "update"
            and op.method == method
            and (example is None or op.path == example)
        ):
            return op
    return None


def _put_applies(profile: Profile) -> str | None:
    if not feature(profile, "put_as_patch"):
        return "the profile documents no [features.put_as_patch] behaviour"
    if _put_operation(profile) is None:
        return "the profile lists no PUT update operation"
    return creatable(profile)


@check("rules_a.put-as-patch", concern="vendor", applies=_put_applies, needs=("writes",))
def put_as_patch(ctx: CheckContext) -> None:
    """PUT with one attribute is accepted as a partial update, like PATCH."""
    op = _put_operation(ctx.profile)
    assert op is not None
    partial_update(ctx, op)


def _delete_applies(profile: Profile) -> str | None:
    create = create_operation(profile)
    if create is None or delete_operation(profile, create) is None:
        return "the profile documents no delete of a created record"
    return creatable(profile)


@check("rules_a.delete", concern="vendor", applies=_delete_applies, needs=("writes",))
def delete(ctx: CheckContext) -> None:
    """Deleting a record the harness created answers the documented status with an empty
    body, and the record is gone afterwards."""
    create = create_operation(ctx.profile)
    assert create is not None
    op = delete_operation(ctx.profile, create)
    assert op is not None
    body, _ = create_body(ctx, create)
    made = call(ctx, create, body=body)
    record = made.json()
    rid = record_id(record) if isinstance(record, dict) else None
    if not is_success(made) or rid is None:
        ctx.skip(f"could not create a record to delete ({create.path} answered {made.status})")
    statuses = feature(ctx.profile, "write_statuses")
    expected = op.status or int(statuses.get("delete") or 204)
    spec = ctx.profile.statuses.get(expected)
    empty = bool(statuses.get("delete_empty_body")) or bool(spec and spec.empty_body)
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
