"""Envelope shape checks: where the payload sits in a success body, and the format of ids.

A success body is validated against the operation's documented schema (the strict
reading's file in strict mode) and each violation is sorted by what it is about, so a
check reports only its own kind:

- ``meta``: a value of an envelope metadata field (requestId, timestamp, status, code...);
  its own checks judge it. A *missing* metadata field is ``shape``;
- ``shape``: anything outside the records: the wrong top-level type, a wrapper where a
  bare body is documented, a payload that is not where the envelope reading puts it;
- ``id``: an id field of a record (``id``, ``*_id``, ``*Id``);
- ``timestamp``: a date-time format or pattern inside a record (other clauses);
- ``record``: any other record content (other clauses).

A record is found in the body by its identifying fields: the id-like required fields of
the operation's record schema (else its other required fields, envelope fields aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urljoin

from harness.checks._context import CheckContext
from harness.checks._ops import read_operations
from harness.checks._registry import check
from harness.checks.envelope import describe, fetch_operation, public_note, token_grant
from harness.client import Exchange
from harness.profiles import Operation, Profile
from harness.validation import SchemaStore, Violation

__all__ = ["classify", "envelope_fields", "record_keys", "sorted_violations"]

_ID_FIELD = re.compile(r"(^id$|_id$|[a-z0-9]Id$)")
_DATE_RULES = frozenset({"format", "pattern"})


def envelope_fields(profile: Profile) -> tuple[frozenset[str], str | None]:
    """The envelope's metadata field names and its payload field (from features.envelope)."""
    env = profile.features.get("envelope", {})
    if not env:
        return frozenset(), None
    names = {str(v) for k, v in env.items() if k.endswith("_field") and isinstance(v, str)}
    names |= {str(f) for f in env.get("fields", ()) if isinstance(f, str)}
    payload = env.get("data_field")
    if not isinstance(payload, str):
        first = [p for p in profile.pagination.items_pointer.split("/") if p]
        payload = first[0] if first else ("data" if "data" in names else None)
    names.discard(payload or "")
    return frozenset(names), payload


def _required(store: SchemaStore, node: Any, base: str, depth: int = 0) -> set[str]:
    """Required top-level property names of a schema, through $ref and allOf."""
    if not isinstance(node, Mapping) or depth > 8:
        return set()
    found = {str(n) for n in node.get("required", ())}
    ref = node.get("$ref")
    if isinstance(ref, str):
        target, _, fragment = ref.partition("#")
        if target and not fragment:
            sid = urljoin(base, target)
            found |= _required(store, store.schema(sid), sid, depth + 1)
    for sub in node.get("allOf", ()):
        found |= _required(store, sub, base, depth + 1)
    return found


def record_keys(ctx: CheckContext, op: Operation) -> frozenset[str]:
    """Fields that identify a record of ``op`` (empty when the operation has no records)."""
    file = op.item_schema or (op.schema if op.kind == "object" else None)
    if file is None:
        return frozenset()
    sid = ctx.profile.schema_id(file)
    required = _required(ctx.session.store, ctx.session.store.schema(sid), sid)
    ids = {k for k in required if _ID_FIELD.search(k)}
    meta, payload = envelope_fields(ctx.profile)
    return frozenset(ids or (required - meta - {payload or ""}))


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _node(body: Any, parts: Iterable[str]) -> Any:
    node = body
    for part in parts:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def classify(
    violation: Violation,
    body: Any,
    keys: frozenset[str],
    meta: frozenset[str],
    ids: frozenset[str] = frozenset(),
) -> str:
    """``meta``, ``shape``, ``id``, ``timestamp`` or ``record`` (see the module docstring)."""
    parts = _parts(violation.pointer)
    if parts and parts[0] in meta and isinstance(body, Mapping):
        return "shape" if violation.rule == "required" else "meta"
    inside = None
    for depth in range(len(parts) + 1):
        node = _node(body, parts[:depth])
        if isinstance(node, Mapping) and keys and any(k in node for k in keys):
            inside = depth
            break
    if inside is None:
        return "shape"
    fields = [p for p in parts[inside:] if not p.isdigit()]
    field = fields[-1] if fields else ""
    if _ID_FIELD.search(field) or field in ids:
        return "id"
    if violation.rule in _DATE_RULES and _looks_like_date(violation):
        return "timestamp"
    return "record"


def _looks_like_date(violation: Violation) -> bool:
    text = f"{violation.message} {violation.schema_path}".lower()
    return "date" in text or "time" in text or "z$" in text or bool(
        isinstance(violation.value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", violation.value)
    )


def sorted_violations(
    ctx: CheckContext, schema_file: str, body: Any, keys: frozenset[str]
) -> dict[str, list[Violation]]:
    """The body's violations of a schema, by kind (cached per schema and exchange)."""
    sid = ctx.schema(schema_file)
    key = f"violations:{sid}:{id(body)}"
    if key not in ctx.cache:
        ctx.cache[key] = (body, ctx.session.store.validate(sid, body))
    violations: list[Violation] = ctx.cache[key][1]
    meta, _ = envelope_fields(ctx.profile)
    ids = frozenset(str(f) for f in ctx.profile.features.get("ids", {}).get("fields", ()))
    kinds: dict[str, list[Violation]] = {}
    for v in violations:
        kinds.setdefault(classify(v, body, keys, meta, ids), []).append(v)
    return kinds


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


def _shape(ctx: CheckContext) -> None:
    op = ctx.operation
    assert op is not None and op.schema is not None
    root = ctx.profile.features.get("service_root", {})
    if root and root.get("path") == op.path:
        ctx.skip("the service root has its own documented body (envelope.service-root)")
    exchange = fetch_operation(ctx, op)
    body = _success_body(ctx, exchange, f"{op.method} {op.path}")
    found = sorted_violations(ctx, op.schema, body, record_keys(ctx, op)).get("shape", [])
    if found:
        ctx.finding(
            f"{op.id} body is not in the documented shape",
            f"{describe(exchange)}: the body does not put its payload where the document "
            f"says{_reading(ctx)}: {_shown(found)}{public_note(ctx)}",
            exchange,
        )


def _lists(op: Operation) -> bool:
    return read_operations(op) and op.kind == "list" and op.schema is not None


def _objects(op: Operation) -> bool:
    return read_operations(op) and op.kind == "object" and op.schema is not None


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
    keys = frozenset(_parts(p)[-1] for p in pointers if _parts(p))
    found = sorted_violations(ctx, flow.grant.schema, body, keys).get("shape", [])
    if found:
        ctx.finding(
            "token grant body is not in the documented shape",
            f"{describe(exchange)}: the body does not put its payload where the document "
            f"says{_reading(ctx)}: {_shown(found)}{public_note(ctx)}",
            exchange,
        )


def _has_schema(op: Operation) -> bool:
    return read_operations(op) and op.schema is not None


@check("envelope.id-format", concern="envelope", per_operation=_has_schema)
def id_format(ctx: CheckContext) -> None:
    """Record ids (and ids in references) have the documented type and format."""
    op = ctx.operation
    assert op is not None and op.schema is not None
    exchange = fetch_operation(ctx, op)
    body = _success_body(ctx, exchange, f"{op.method} {op.path}")
    found = sorted_violations(ctx, op.schema, body, record_keys(ctx, op)).get("id", [])
    if found:
        ctx.finding(
            f"{op.id} ids are not {ctx.profile.id_format}",
            f"{describe(exchange)}: record ids break the documented id format "
            f"({ctx.profile.id_format}): {_shown(found)}{public_note(ctx)}",
            exchange,
        )
