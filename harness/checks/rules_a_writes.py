"""Write rules: POST creates (and refuses an incomplete create), PATCH and PUT update
partially, DELETE removes with an empty answer.

Only records these checks create are changed or deleted; seeded data is never touched.
A record is deleted again when the profile documents a delete for it.
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of, record_id
from harness.checks._registry import check
from harness.checks.rules_a import (
    feature,
    is_success,
    list_page,
    object_operation,
    placeholder,
    shown,
)
from harness.client import Exchange
from harness.profiles import Operation, Profile

MARK = "Harness conformance probe"


def create_operation(profile: Profile) -> Operation | None:
    named = feature(profile, "request_bodies").get("create_operation")
    for op in profile.operations:
        if op.write and op.kind == "create" and (named is None or op.id == named):
            return op
    return None


def delete_operation(profile: Profile, create: Operation) -> Operation | None:
    for op in profile.operations:
        if op.write and op.kind == "delete" and op.path.startswith(create.path + "/{"):
            return op
    return None


def creatable(profile: Profile) -> str | None:
    if create_operation(profile) is None:
        return "the profile documents no create operation"
    if not (
        feature(profile, "request_bodies").get("example_create")
        or feature(profile, "validation_errors").get("required_on_create")
    ):
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
    path = feature(ctx.profile, "enums").get("path")
    if not path:
        return None
    key = "rules_a:enums:None"
    if key not in ctx.cache:
        ctx.cache[key] = ctx.client.request("GET", str(path))
    body = ctx.cache[key].json()
    resource = create.path.rstrip("/").rsplit("/", 1)[-1].removesuffix("s")
    entries = body.get(f"{resource}.{field}") if isinstance(body, dict) else None
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return str(entries[0].get("id"))
    return None


def create_body(ctx: CheckContext, create: Operation) -> tuple[dict[str, Any], list[str]]:
    """A valid create body and its free-text fields (safe to change in an update)."""
    example = feature(ctx.profile, "request_bodies").get("example_create")
    body: dict[str, Any] = {}
    if example:
        body = dict(example)
        for name in [k for k in body if k.endswith("_id")]:
            real = _first_id(ctx, "/" + name.removesuffix("_id") + "s")
            if real is not None:
                body[name] = real
    else:
        for name in feature(ctx.profile, "validation_errors").get("required_on_create", []):
            body[str(name)] = _enum_value(ctx, create, str(name)) or f"{MARK}, {name}"
    text = [k for k, v in body.items() if isinstance(v, str) and " " in v]
    if text and MARK not in body[text[0]]:
        body[text[0]] = f"{MARK}: {body[text[0]]}"[:200]
    return body, text


def expected_create_status(ctx: CheckContext, create: Operation) -> int | None:
    """The documented success status of a create (None when only assumed)."""
    if create.status and create.source != "assumed":
        return create.status
    methods = feature(ctx.profile, "methods")
    if methods.get("create_status") and methods.get("create_status_source") != "assumed":
        return int(methods["create_status"])
    return None


def remove(ctx: CheckContext, create: Operation, record: Any) -> Exchange | None:
    """Delete a record this harness created (when a delete is documented)."""
    op = delete_operation(ctx.profile, create)
    rid = record_id(record)
    if op is None or rid is None:
        return None
    return call(ctx, op, ids={placeholder(op): rid})


def _echo_problems(sent: dict[str, Any], record: dict[str, Any]) -> list[str]:
    return [
        f"{k} is {record.get(k)!r}, {v!r} was sent"
        for k, v in sent.items()
        if k in record and str(record.get(k)).strip().lower() != str(v).strip().lower()
    ]


def _incomplete(ctx: CheckContext, create: Operation, body: dict[str, Any]) -> None:
    """A create without the required fields is refused with the validation status."""
    rules = feature(ctx.profile, "validation_errors")
    required = [str(n) for n in rules.get("required_on_create", [])]
    if not required:
        return
    status = int(rules.get("status") or 422)
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


@check("rules_a.create", concern="vendor", applies=creatable, needs=("writes",))
def create(ctx: CheckContext) -> None:
    """POST on the collection creates a record (with the documented status), readable
    afterwards; a create missing required data is refused."""
    op = create_operation(ctx.profile)
    assert op is not None
    body, _ = create_body(ctx, op)
    made = call(ctx, op, body=body)
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
        return
    try:
        if not isinstance(record, dict) or record_id(record) is None:
            ctx.finding(
                "create returned no record",
                f"{op.method} {op.path} answered {made.status} without the created record",
                made,
            )
            return
        echo = _echo_problems(body, record)
        if echo:
            ctx.finding("created record differs from the body", shown(echo), made)
        reader = object_operation(ctx, op.path)
        if reader is not None:
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
        _incomplete(ctx, op, body)
    finally:
        if delete_operation(ctx.profile, op) is not None:
            remove(ctx, op, record)
        elif isinstance(record, dict) and record_id(record) is not None:
            ctx.cache[f"rules_a:record:{op.id}"] = record
