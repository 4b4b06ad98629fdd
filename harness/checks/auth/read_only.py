"""A read-only credential cannot write: a create attempted with it gets the permission
status (not the status of invalid credentials), and no record is created (one that is
created anyway is deleted again with the session's credentials).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of, list_operation_for, page_params, record_id
from harness.checks._registry import check
from harness.checks.auth._common import effective_status, expectation, read_only_schemes
from harness.checks.writes._features import REQUEST_BODIES
from harness.profiles import Operation, Profile

MAX_PAGES = 10
MARKER_FIELDS = ("subject", "name", "title")


def _read_only_write(profile: Profile) -> str | None:
    if not read_only_schemes(profile):
        return "the profile documents no read-only credential"
    if _create_operation(profile) is None:
        return "the profile documents no create operation to attempt"
    return None


def _create_operation(profile: Profile) -> Operation | None:
    return next((o for o in profile.operations if o.write and o.kind == "create"), None)


def _example_body(profile: Profile, op: Operation) -> dict[str, Any]:
    """The documented example body for ``op`` (``[features.request_bodies]
    example_create``, when ``op`` is its create operation), else the operation's own body
    template."""
    bodies = REQUEST_BODIES.read(profile)
    if bodies is not None and bodies.example_create and bodies.create_operation == op.id:
        return dict(bodies.example_create)
    return dict(op.body)


def _records_with(ctx: CheckContext, listing: Operation, marker: str) -> tuple[bool, int]:
    """(found, records seen): walk ``listing`` (bounded) looking for ``marker``."""
    pagination = ctx.profile.pagination
    size = pagination.max_size or pagination.default_size
    first = 0 if pagination.style == "offset" else pagination.first_page
    seen = 0
    for page in range(first, first + MAX_PAGES):
        paging = page_params(pagination, page, size) if pagination.style != "none" else None
        exchange = call(ctx, listing, paging=paging)
        items = items_of(ctx, exchange.json()) if exchange.status < 300 else None
        if not items:
            break
        seen += len(items)
        if any(isinstance(i, Mapping) and marker in i.values() for i in items):
            return True, seen
        if pagination.style == "none" or (size and len(items) < size):
            break
    return False, seen


def _remove(ctx: CheckContext, created: Operation, record: Any) -> None:
    """Delete a record a refused write created anyway (with the session's credentials)."""
    rid = record_id(record)
    delete = next(
        (
            o
            for o in ctx.profile.operations
            if o.write and o.kind == "delete" and o.path.startswith(created.path + "/{")
        ),
        None,
    )
    if rid is not None and delete is not None:
        name = delete.path.split("{", 1)[1].split("}", 1)[0]
        call(ctx, delete, ids={name: rid})


@check(
    "auth.read-only-write-forbidden",
    concern="auth",
    applies=_read_only_write,
    needs=("writes",),
)
def read_only_write_forbidden(ctx: CheckContext) -> None:
    """A valid read-only credential attempting a write gets the permission status (not the
    one for bad credentials), and nothing is created."""
    op = _create_operation(ctx.profile)
    assert op is not None
    schemes = [s for s in read_only_schemes(ctx.profile) if ctx.client.has_credentials(s)]
    if not schemes:
        ctx.skip("the target gives no read-only credential (an optional scheme)")
    scheme = schemes[0]
    marker = f"harness auth probe {int(time.time())}"
    body = _example_body(ctx.profile, op)
    marked = [k for k in MARKER_FIELDS if k in body] or [MARKER_FIELDS[0]]
    for key in marked:
        body[key] = marker
    exchange = call(ctx, op, body=body, auth=scheme.id)
    status = effective_status(ctx, exchange)
    expected = expectation(ctx, (403,))
    if 200 <= status < 300:
        ctx.finding(
            "read-only credential could write",
            f"{op.method} {op.path} with the read-only scheme {scheme.id} answered {status}: "
            f"the write was accepted instead of refused with {expected.text}",
            exchange,
        )
        _remove(ctx, op, exchange.json())
        return
    if not expected.accepts(status):
        ctx.finding(
            f"read-only write refused with {status}",
            f"{op.method} {op.path} with the valid read-only scheme {scheme.id} answered "
            f"{status}; lacking a permission must give {expected.text} ({expected.reading}), "
            "not the status of invalid credentials",
            exchange,
        )
    listing = list_operation_for(ctx, op)
    if listing is None:
        return
    found, _ = _records_with(ctx, listing, marker)
    if found:
        ctx.finding(
            "refused write changed state",
            f"after the {status} refusal, {listing.path} holds a record marked {marker!r}",
            exchange,
        )
