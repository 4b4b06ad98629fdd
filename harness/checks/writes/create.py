"""Creating a record: POST on the collection with a valid body answers the documented
success status with the created record (echoing what was sent), the record can be read
afterwards, and a create missing its required fields is refused with the validation
status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, is_success, object_operation, placeholder, record_id, shown
from harness.checks._registry import check
from harness.checks.writes._common import (
    CreatedRecord,
    creatable,
    create_operation,
    created_record,
    delete_operation,
    remove,
)
from harness.checks.writes._features import METHODS, VALIDATION_ERRORS
from harness.profiles import Operation


def expected_create_status(ctx: CheckContext, create: Operation) -> int | None:
    """The documented success status of a create (None when only assumed)."""
    if create.status and create.source != "assumed":
        return create.status
    methods = ctx.optional_feature(METHODS)
    if methods and methods.create_status and methods.create_status_source != "assumed":
        return methods.create_status
    return None


def _echo_problems(sent: Mapping[str, Any], record: dict[str, Any]) -> list[str]:
    return [
        f"{k} is {record.get(k)!r}, {v!r} was sent"
        for k, v in sent.items()
        if k in record and str(record.get(k)).strip().lower() != str(v).strip().lower()
    ]


def _incomplete(ctx: CheckContext, create: Operation, body: Mapping[str, Any]) -> None:
    """A create without the required fields is refused with the validation status."""
    rules = ctx.optional_feature(VALIDATION_ERRORS)
    required = list(rules.required_on_create) if rules else []
    if rules is None or not required:
        return
    status = rules.status
    rest = {k: v for k, v in body.items() if k not in required}
    refused = call(ctx, create, body=rest)
    if refused.status != status:
        ctx.finding(
            f"incomplete create answered {refused.status}",
            f"{create.method} {create.path} without {required} answered {refused.status} "
            f"instead of {status}",
            refused,
        )
        if is_success(refused):
            remove(ctx, create, refused.json())


def _judge_record(
    ctx: CheckContext, op: Operation, created: CreatedRecord, record: dict[str, Any]
) -> None:
    """The created record echoes the body and can be read back."""
    made = created.exchange
    echo = _echo_problems(created.sent, record)
    if echo:
        ctx.finding("created record differs from the body", shown(echo), made)
    reader = object_operation(ctx, op.path)
    if reader is None:
        return
    read = call(ctx, reader, ids={placeholder(reader): record_id(record)})
    got = read.json()
    if (
        read.status != 200
        or not isinstance(got, dict)
        or (str(record_id(got)) != str(record_id(record)))
    ):
        ctx.finding(
            "created record not readable",
            f"{reader.path} of the new record {record_id(record)} answered {read.status}",
            made,
            read,
        )


@check(
    "writes.create",
    concern="vendor",
    applies=creatable,
    needs=("writes",),
    aliases=("rules_a.create",),
)
def create(ctx: CheckContext) -> None:
    """POST on the collection creates a record (with the documented status), readable
    afterwards; a create missing required data is refused."""
    op = create_operation(ctx.profile)
    assert op is not None
    created = created_record(ctx, op)
    made = created.exchange
    expected = expected_create_status(ctx, op)
    record = made.json()
    if not is_success(made) or (expected is not None and made.status != expected):
        want = expected or "a 2xx status"
        ctx.finding(
            f"create answered {made.status}",
            f"{op.method} {op.path} with a valid body answered {made.status} instead of {want}",
            made,
        )
    if not is_success(made):
        created_record.forget(ctx, op)
        return
    try:
        if not isinstance(record, dict) or record_id(record) is None:
            ctx.finding(
                "create returned no record",
                f"{op.method} {op.path} answered {made.status} without the created record",
                made,
            )
            return
        _judge_record(ctx, op, created, record)
        _incomplete(ctx, op, created.sent)
    finally:
        if delete_operation(ctx.profile, op) is not None:
            remove(ctx, op, record)
            created_record.forget(ctx, op)
        elif created.latest is None:
            created_record.forget(ctx, op)  # nothing the update checks could reuse
