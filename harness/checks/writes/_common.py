"""What the write checks share: the documented create and delete operations, a valid
create body, and the record the harness created (once per session) that the update
checks change.

Every record these checks write was created by them: its free-text attribute carries
:data:`MARK`. Where the profile documents a delete, a record is deleted again after use
(and :func:`created_record` forgotten); where it does not, the create check leaves its
record to the update checks, which reuse it instead of creating more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import (
    call,
    is_success,
    items_of,
    list_page,
    placeholder,
    record_id,
)
from harness.checks.language._common import enumerations
from harness.checks.records._features import ENUMS
from harness.checks.writes._features import REQUEST_BODIES, VALIDATION_ERRORS
from harness.client import Exchange
from harness.profiles import Operation, Profile

__all__ = [
    "MARK",
    "CreatedRecord",
    "creatable",
    "create_body",
    "create_operation",
    "created_record",
    "delete_operation",
    "remove",
]

MARK = "Harness conformance probe"


def create_operation(profile: Profile) -> Operation | None:
    """The documented create (the one ``request_bodies`` names, else the first)."""
    bodies = REQUEST_BODIES.read(profile)
    named = bodies.create_operation if bodies else None
    for op in profile.operations:
        if op.write and op.kind == "create" and (named is None or op.id == named):
            return op
    return None


def delete_operation(profile: Profile, create: Operation) -> Operation | None:
    """The documented delete of a record the create makes."""
    for op in profile.operations:
        if op.write and op.kind == "delete" and op.path.startswith(create.path + "/{"):
            return op
    return None


def creatable(profile: Profile) -> str | None:
    """None when the checks can create a record, else why they skip."""
    if create_operation(profile) is None:
        return "the profile documents no create operation"
    bodies = REQUEST_BODIES.read(profile)
    errors = VALIDATION_ERRORS.read(profile)
    if not ((bodies and bodies.example_create) or (errors and errors.required_on_create)):
        return "the profile documents no create body nor the fields a create requires"
    return None


def _first_id(ctx: CheckContext, path: str) -> Any:
    """The id of the first record of the documented collection at ``path``."""
    for op in ctx.profile.operations:
        if op.kind == "list" and not op.write and op.path == path:
            exchange = list_page(ctx, op)
            items = items_of(ctx, exchange.json()) if is_success(exchange) else None
            return record_id(items[0]) if items else None
    return None


def _enum_value(ctx: CheckContext, create: Operation, field: str) -> str | None:
    """The first documented value of ``<resource>.<field>`` in the enumerations."""
    enums = ctx.optional_feature(ENUMS)
    if enums is None or not enums.path:
        return None
    body = enumerations(ctx, None).json()
    resource = create.path.rstrip("/").rsplit("/", 1)[-1].removesuffix("s")
    entries = body.get(f"{resource}.{field}") if isinstance(body, dict) else None
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return str(entries[0].get("id"))
    return None


def create_body(ctx: CheckContext, create: Operation) -> tuple[dict[str, Any], list[str]]:
    """A valid create body and its free-text fields (safe to change in an update)."""
    bodies = REQUEST_BODIES.read(ctx.profile)
    errors = VALIDATION_ERRORS.read(ctx.profile)
    body: dict[str, Any] = {}
    if bodies and bodies.example_create:
        body = dict(bodies.example_create)
        for name in [k for k in body if k.endswith("_id")]:
            real = _first_id(ctx, "/" + name.removesuffix("_id") + "s")
            if real is not None:
                body[name] = real
    else:
        for name in errors.required_on_create if errors else ():
            body[name] = _enum_value(ctx, create, name) or f"{MARK}, {name}"
    text = [k for k, v in body.items() if isinstance(v, str) and " " in v]
    if text and MARK not in body[text[0]]:
        body[text[0]] = f"{MARK}: {body[text[0]]}"[:200]
    return body, text


@dataclass
class CreatedRecord:
    """A create this harness sent: the body, the answer, and the record as last seen
    (None when the create made no usable record). The update checks keep ``latest``
    current after each update they make."""

    sent: Mapping[str, Any]
    exchange: Exchange
    latest: dict[str, Any] | None


@memoized
def created_record(ctx: CheckContext, create: Operation) -> CreatedRecord:
    """Create one record with a valid body, once per session (the create check judges
    it; the update checks change it). Forget it once deleted."""
    body, _ = create_body(ctx, create)
    made = call(ctx, create, body=body)
    record = made.json()
    usable = is_success(made) and isinstance(record, dict) and record_id(record) is not None
    return CreatedRecord(body, made, dict(record) if usable else None)


def remove(ctx: CheckContext, create: Operation, record: Any) -> Exchange | None:
    """Delete a record this harness created (when a delete is documented)."""
    op = delete_operation(ctx.profile, create)
    rid = record_id(record)
    if op is None or rid is None:
        return None
    return call(ctx, op, ids={placeholder(op): rid})
