"""Shapes shared by the envelope and fuzz checks: where a success body keeps its records,
which of its fields are envelope metadata, and what each schema violation is about.

A violation is sorted by what it is about, so that each check reports only its own kind:

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
from harness.checks.envelope._features import ENVELOPE
from harness.checks.records._features import IDS
from harness.profiles import Operation, Profile
from harness.validation import SchemaStore, Violation

__all__ = [
    "classify",
    "envelope_fields",
    "pointer_parts",
    "record_keys",
    "sorted_violations",
]

_ID_FIELD = re.compile(r"(^id$|_id$|[a-z0-9]Id$)")
_DATE_RULES = frozenset({"format", "pattern"})


def envelope_fields(profile: Profile) -> tuple[frozenset[str], str | None]:
    """The envelope's metadata field names and its payload field (``[features.envelope]``)."""
    env = ENVELOPE.read(profile)
    if env is None:
        return frozenset(), None
    names = set(env.metadata_fields)
    payload = env.data_field
    if payload is None:
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


def pointer_parts(pointer: str) -> list[str]:
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
    payload: str | None = None,
) -> str:
    """``meta``, ``shape``, ``id``, ``timestamp`` or ``record`` (see the module docstring)."""
    parts = pointer_parts(violation.pointer)
    if payload and parts == [payload] and violation.rule == "required":
        return "shape"  # the payload member is missing: the records are not where it says
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
    return (
        "date" in text
        or "time" in text
        or "z$" in text
        or bool(
            isinstance(violation.value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", violation.value)
        )
    )


def sorted_violations(
    ctx: CheckContext, schema_file: str, body: Any, keys: frozenset[str]
) -> dict[str, list[Violation]]:
    """The body's violations of a schema, by kind (cached per schema and exchange)."""
    sid = ctx.schema(schema_file)
    key = ("violations", sid, id(body))
    found, kept = ctx.session.memo.lookup(key)
    if not found:  # the body is kept with its violations so that its id stays its own
        kept = (body, ctx.session.store.validate(sid, body))
        ctx.session.memo.store(key, kept)
    violations: list[Violation] = kept[1]
    meta, payload = envelope_fields(ctx.profile)
    documented = IDS.read(ctx.profile)
    ids = frozenset(documented.fields if documented else ())
    kinds: dict[str, list[Violation]] = {}
    for v in violations:
        kinds.setdefault(classify(v, body, keys, meta, ids, payload), []).append(v)
    return kinds
