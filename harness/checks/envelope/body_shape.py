"""Where the payload sits in a success body, and the format of record ids.

A success body is validated against the operation's documented schema (the strict
reading's file in strict mode), or, for an operation whose records are not described (a
target's own endpoint), against the vendor's generic body of its kind
(``[generic_schemas]``: the envelope or bare shape and the id format, whatever the
records), and each violation is sorted by what it is about
(:func:`harness.checks._shapes.classify`), so a check reports only its own kind:

- ``meta``: a value of an envelope metadata field (requestId, timestamp, status, code...);
  its own checks judge it. A *missing* metadata field is ``shape``;
- ``shape``: anything outside the records: the wrong top-level type, a wrapper where a
  bare body is documented, a payload that is not where the envelope reading puts it;
- ``id``: an id field of a record (``id``, ``*_id``, ``*Id``);
- ``timestamp`` and ``record``: record content, for other clauses.

A record is found in the body by its identifying fields: the id-like required fields of
the operation's record schema (else its other required fields, envelope fields aside).
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import describe, fetch_operation, public_note, read_operations
from harness.checks._registry import check
from harness.checks._shapes import pointer_parts, record_keys, sorted_violations
from harness.checks.envelope._common import token_grant
from harness.checks.envelope._features import SERVICE_ROOT
from harness.client import Exchange
from harness.profiles import Operation, Profile
from harness.validation import Violation

__all__: list[str] = []


def _shown(violations: list[Violation]) -> str:
    text = "; ".join(str(v) for v in violations[:5])
    return text + (f" (+{len(violations) - 5} more)" if len(violations) > 5 else "")


def _success_body(ctx: CheckContext, exchange: Exchange, what: str) -> Any:
    if not 200 <= exchange.status < 300:
        ctx.skip(f"{what} answered {exchange.status}: no success body to check")
    if not exchange.is_json:
        ctx.skip(f"{what} did not answer JSON (transport.json-body reports that)")
    return exchange.json()


def _reading(ctx: CheckContext) -> str:
    readings = [c.ambiguity.strict for c in ctx.clauses if c.ambiguity and ctx.strict]
    return f" (strict reading {readings[0]!r})" if readings else ""


def body_schema(ctx: CheckContext, op: Operation) -> str:
    """The operation's own success schema, else the vendor's generic one of its kind."""
    schema = ctx.profile.body_schema(op)
    if schema is None:
        ctx.skip(
            f"{op.id} has no schema of its own and the profile names no generic "
            f"{op.kind} body ([generic_schemas])"
        )
    return schema


def body_keys(ctx: CheckContext, op: Operation) -> frozenset[str]:
    """Fields identifying a record of ``op``: from its record schema, else the ``id``
    field the vendor's id format is about."""
    return record_keys(ctx, op) if op.schema else frozenset({"id"})


def _shape(ctx: CheckContext) -> None:
    op = ctx.operation
    assert op is not None
    schema = body_schema(ctx, op)
    root = ctx.optional_feature(SERVICE_ROOT)
    if root is not None and root.path == op.path:
        ctx.skip("the service root has its own documented body (envelope.service-root)")
    exchange = fetch_operation(ctx, op)
    body = _success_body(ctx, exchange, f"{op.method} {op.path}")
    found = sorted_violations(ctx, schema, body, body_keys(ctx, op)).get("shape", [])
    if found:
        ctx.finding(
            f"{op.id} body is not in the documented shape",
            f"{describe(exchange)}: the body does not put its payload where the document "
            f"says{_reading(ctx)}: {_shown(found)}{public_note(ctx)}",
            exchange,
        )


def _lists(op: Operation) -> bool:
    return read_operations(op) and op.kind == "list"


def _objects(op: Operation) -> bool:
    return read_operations(op) and op.kind == "object"


@check("envelope.list-shape", concern="envelope", per_operation=_lists)
def list_shape(ctx: CheckContext) -> None:
    """A collection success body has the documented shape (bare array, or the envelope)."""
    _shape(ctx)


@check("envelope.object-shape", concern="envelope", per_operation=_objects)
def object_shape(ctx: CheckContext) -> None:
    """A single-record success body has the documented shape (bare record, or the envelope)."""
    _shape(ctx)


def _grant_schema(profile: Profile) -> str | None:
    if profile.token is not None and profile.token.grant.schema:
        return None
    return "the document describes no token grant with a response schema"


@check("envelope.token-shape", concern="envelope", applies=_grant_schema)
def token_shape(ctx: CheckContext) -> None:
    """The token grant's success body has the documented envelope shape."""
    flow = ctx.profile.token
    assert flow is not None and flow.grant.schema is not None
    exchange = token_grant(ctx)
    assert exchange is not None
    body = _success_body(ctx, exchange, f"the token grant {flow.grant.path}")
    pointers = [p for p in (flow.grant.access_token, flow.grant.refresh_token) if p]
    keys = frozenset(pointer_parts(p)[-1] for p in pointers if pointer_parts(p))
    found = sorted_violations(ctx, flow.grant.schema, body, keys).get("shape", [])
    if found:
        ctx.finding(
            "token grant body is not in the documented shape",
            f"{describe(exchange)}: the body does not put its payload where the document "
            f"says{_reading(ctx)}: {_shown(found)}{public_note(ctx)}",
            exchange,
        )


@check("envelope.id-format", concern="envelope", per_operation=read_operations)
def id_format(ctx: CheckContext) -> None:
    """Record ids (and ids in references) have the documented type and format."""
    op = ctx.operation
    assert op is not None
    schema = body_schema(ctx, op)
    exchange = fetch_operation(ctx, op)
    body = _success_body(ctx, exchange, f"{op.method} {op.path}")
    found = sorted_violations(ctx, schema, body, body_keys(ctx, op)).get("id", [])
    if found:
        ctx.finding(
            f"{op.id} ids are not {ctx.profile.id_format}",
            f"{describe(exchange)}: record ids break the documented id format "
            f"({ctx.profile.id_format}): {_shown(found)}{public_note(ctx)}",
            exchange,
        )
