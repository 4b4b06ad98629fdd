"""What writes get: a successful create answers its documented status, and a write whose
body is not declared as the documented request media type is refused.

Driven by the create operations of the profile (``kind = "create"``, ``write = true``,
with a documented ``status``), ``content.request_type`` and ``[features.request_headers]``
(``content_type_methods``). The create body's placeholders are filled from the first
record of the collections (:func:`harness.checks._ops.first_record`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._ops import call, describe, first_record, read_operations
from harness.checks._registry import check
from harness.checks.transport._common import REQUEST_HEADERS
from harness.profiles import Operation, Profile

__all__ = ["create_request"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _creates(profile: Profile) -> list[Operation]:
    return [o for o in profile.operations if o.write and o.kind == "create" and o.status]


def _has_create(profile: Profile) -> str | None:
    return None if _creates(profile) else "the profile documents no create operation"


def _first_value(ctx: CheckContext, name: str) -> Any:
    """A value for a body placeholder: the field of the first record of some collection."""
    for op in ctx.profile.operations:
        if not (read_operations(op) and op.kind == "list"):
            continue
        record = first_record(ctx, op)
        if isinstance(record, Mapping) and name in record:
            return record[name]
    return None


def create_request(ctx: CheckContext) -> tuple[Operation, Any]:
    """The create with the fewest placeholders, and its body with them filled from records."""
    ops = sorted(_creates(ctx.profile), key=lambda o: len(_PLACEHOLDER.findall(str(o.body))))
    for op in ops:
        names = set(_PLACEHOLDER.findall(json.dumps(dict(op.body))))
        values = {n: _first_value(ctx, n) for n in names}
        if all(v is not None for v in values.values()):
            return op, render(dict(op.body), {k: str(v) for k, v in values.items()})
    ctx.skip("no create operation has a body the harness can fill from existing records")


@check("transport.create-status", concern="transport", applies=_has_create, needs=("writes",))
def create_status(ctx: CheckContext) -> None:
    """A successful create answers its documented status (e.g. 201)."""
    op, body = create_request(ctx)
    exchange = call(ctx, op, body=body)
    if exchange.status >= 400:
        ctx.skip(f"{describe(exchange)}: the create was refused, so no success status to see")
    if exchange.status != op.status:
        ctx.finding(
            f"{op.id} answered {exchange.status}",
            f"{describe(exchange)}: a successful create answers {op.status} per the document",
            exchange,
        )


def _request_type(profile: Profile) -> str | None:
    if profile.request_content_type and _creates(profile):
        return None
    return "the document requires no request Content-Type for a documented create"


@check(
    "transport.request-content-type",
    concern="transport",
    applies=_request_type,
    needs=("writes",),
)
def request_content_type(ctx: CheckContext) -> None:
    """A write whose body is not declared as the documented request media type is refused."""
    op, body = create_request(ctx)
    wanted = str(ctx.profile.request_content_type)
    headers = ctx.optional_feature(REQUEST_HEADERS)
    methods = headers.content_type_methods if headers is not None else ()
    if methods and op.method not in methods:
        ctx.skip(f"the document requires {wanted} on {list(methods)}, not on {op.method}")
    if ctx.profile.auth[0].kind == "body":
        ctx.skip("the credential travels in the JSON body: the auth flow re-sends it as JSON")
    exchange = ctx.client.request(
        op.method,
        op.path,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "text/plain"},
        operation=f"{op.id}.text-plain",
        write=True,
    )
    accepted = {400} if ctx.strict else {400, 415, 422}
    if exchange.status in accepted:
        return
    outcome = "accepted" if exchange.status < 400 else f"refused with {exchange.status}"
    ctx.finding(
        f"write without {wanted} {outcome}",
        f"{describe(exchange)}: a {op.method} whose JSON body is declared text/plain was "
        f"{outcome}; the document requires Content-Type {wanted} (bad input: 400"
        f"{'' if ctx.strict else ', or 415/422 leniently'})",
        exchange,
    )
