"""Fuzzing the documented write bodies (only where the target allows writes).

Where the profile documents a request schema for a write (``[features.request_bodies]``:
``<x>_schema`` for the operation ``<x>_operation``), hypothesis-jsonschema draws bodies
from the bundled schema (:mod:`harness.checks.fuzz.bundle`): valid ones must be accepted
(a create with its documented status: aspect ``created``) and answered with a body
matching its schema; the same bodies with one enumerated field set to a value outside
its documented set must be refused with the documented status. The answers are judged
by the generic fuzz checks' judges, with their aspects prefixed by the check's name
(``error-bodies.status-422``). Every record a create makes is deleted again when the
document has a delete for it, and that delete must answer its documented status, with no
body where the document says so (aspect ``deleted``). A handful of bodies per
operation: writes are costly for the vendor.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from harness.auth import resolve_pointer
from harness.checks._context import CheckContext
from harness.checks._ops import call, record_id
from harness.checks._registry import check
from harness.checks.errors._common import routed
from harness.checks.fuzz._common import (
    ERROR_BODIES,
    IDS,
    INVALID,
    ORDER,
    SHAPE,
    TIMESTAMPS,
    collect,
    max_examples,
    mirrored,
)
from harness.checks.fuzz.bundle import strategy
from harness.checks.fuzz.judges import (
    Problem,
    judge_error_body,
    judge_invalid,
    judge_success,
    report,
)
from harness.checks.fuzz.parameters import Verdict
from harness.checks.records._features import ENUMS
from harness.checks.writes._features import REQUEST_BODIES, WRITE_STATUSES
from harness.client import Exchange
from harness.errors import HarnessError
from harness.profiles import Operation, Profile

__all__ = ["write_bodies_for"]

WRITES_PER_OPERATION = 6
CREATED = "created"
DELETED = "deleted"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def write_bodies_for(profile: Profile) -> list[tuple[Operation, str]]:
    """(write operation, request schema file) pairs the profile documents, creates first."""
    bodies = REQUEST_BODIES.read(profile)
    found = []
    for op_id, schema in bodies.schemas() if bodies else ():
        op = next((o for o in profile.operations if o.id == op_id and o.write), None)
        if op is not None and (profile.folder / schema).is_file():
            found.append((op, schema))
    return sorted(found, key=lambda pair: pair[0].kind != "create")


def _enum_names(profile: Profile) -> list[str]:
    """Fields with a documented set of values (``[features.enums]``)."""
    enums = ENUMS.read(profile)
    return list(enums.value_sets()) if enums else []


def write_aspects(profile: Profile) -> tuple[str, ...]:
    """``created`` (where a create body is documented), and the aspects of the invariants
    the answers are judged by: refusals of enumerated fields, error bodies, the shape,
    ids and timestamps of the record answered."""
    pairs = write_bodies_for(profile)
    if not pairs:
        return ()
    created = (CREATED,) if any(op.kind == "create" for op, _ in pairs) else ()
    deleted = (
        (DELETED,)
        if any(op.kind == "create" and _delete_for(profile, op) for op, _ in pairs)
        else ()
    )
    enums = {f"param-{name}" for name in _enum_names(profile)}
    return (
        *created,
        *deleted,
        *mirrored(profile, INVALID, only=enums),
        *mirrored(profile, ERROR_BODIES),
        *mirrored(profile, SHAPE, only={"object"}),
        *mirrored(profile, IDS),
        *mirrored(profile, TIMESTAMPS),
    )


def _applies(profile: Profile) -> str | None:
    return None if write_bodies_for(profile) else "the document gives no request body schema"


def _delete_for(profile: Profile, op: Operation) -> Operation | None:
    collection = op.path.split("/{", 1)[0]
    return next(
        (
            o
            for o in profile.operations
            if o.kind == "delete" and o.path.split("/{", 1)[0] == collection
        ),
        None,
    )


class _Writer:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.created: list[tuple[Operation, Any]] = []
        self.problems: list[Problem] = []

    def send(self, op: Operation, body: Any, ids: dict[str, Any] | None) -> Exchange:
        exchange = call(self.ctx, op, ids=ids, body=body)
        if op.kind == "create" and 200 <= exchange.status < 300:
            rid = record_id(exchange.json())
            if rid is not None:
                self.created.append((op, rid))
        return exchange

    def valid(self, op: Operation, body: Any, ids: dict[str, Any] | None) -> None:
        ctx = self.ctx
        exchange = self.send(op, body, ids)
        what = f"{op.method} {op.path} with a body valid for its schema"
        status = op.status or 200
        if op.kind == "create" and exchange.status != status and routed(ctx, (CREATED,)):
            text = f"{what} -> {exchange.status}, expected {status}: {str(body)[:160]}"
            self.problems.append(Problem((CREATED,), "valid body not accepted", text, exchange))
        record = replace(op, kind="object")  # the answer is one record
        for role, kind in ((SHAPE, "shape"), (IDS, "id"), (TIMESTAMPS, "timestamp")):
            self.problems += judge_success(ctx, role, exchange, what, record, kind)
        self.problems += judge_error_body(ctx, ERROR_BODIES, exchange, what)

    def invalid(self, op: Operation, body: Any, ids: dict[str, Any] | None, name: str) -> None:
        ctx = self.ctx
        exchange = self.send(op, body, ids)
        what = f"{op.method} {op.path} with {name}={body[name]!r}"
        verdict = Verdict("invalid", f"{name} is outside its documented values", (name,), ("enum",))
        self.problems += judge_invalid(ctx, INVALID, exchange, what, verdict)
        self.problems += judge_error_body(ctx, ERROR_BODIES, exchange, what)

    def clean_up(self) -> None:
        for op, rid in self.created:
            delete = _delete_for(self.ctx.profile, op)
            if delete is None:
                continue
            name = _PLACEHOLDER.findall(delete.path)[-1]
            self._judge_delete(delete, call(self.ctx, delete, ids={name: rid}))

    def _judge_delete(self, op: Operation, exchange: Exchange) -> None:
        """A delete of a record this check created answers the documented status, with
        no body where the document says so (aspect ``deleted``)."""
        ctx = self.ctx
        statuses = ctx.optional_feature(WRITE_STATUSES)
        expected = op.status or (statuses.delete if statuses else None)
        if expected is None or not routed(ctx, (DELETED,)):
            return
        spec = ctx.profile.statuses.get(expected)
        empty = bool(statuses and statuses.delete_empty_body) or bool(spec and spec.empty_body)
        what = f"{op.method} {op.path} of a record this check created"
        if exchange.status != expected:
            text = f"{what} -> {exchange.status}, expected {expected}"
            self.problems.append(
                Problem((DELETED,), "delete not answered as documented", text, exchange)
            )
        elif empty and exchange.content.strip():
            text = f"{what} -> {expected} with {len(exchange.content)} body bytes, expected none"
            self.problems.append(Problem((DELETED,), f"{expected} with a body", text, exchange))


def schema_fields(ctx: CheckContext, file_name: str) -> frozenset[str]:
    """Top-level property names a schema defines (through allOf/anyOf/oneOf and $ref)."""
    found: set[str] = set()
    seen: set[str] = set()
    store = ctx.session.store

    def walk(node: Any, base: str) -> None:
        if not isinstance(node, dict):
            return
        properties = node.get("properties")
        if isinstance(properties, dict):
            found.update(properties)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key) or ():
                walk(sub, base)
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = urljoin(base, ref)
            if target in seen:
                return
            seen.add(target)
            document, _, fragment = target.partition("#")
            try:
                schema = store.schema(document)
            except HarnessError:
                return
            walk(resolve_pointer(schema, fragment) if fragment else schema, document)

    sid = ctx.schema(file_name)
    walk(store.schema(sid), sid)
    return frozenset(found)


@check(
    "fuzz.write-bodies",
    concern="fuzz",
    applies=_applies,
    needs=("writes",),
    order=ORDER,
    aspects=write_aspects,
)
def write_bodies(ctx: CheckContext) -> None:
    """Generated write bodies: valid ones are accepted, out-of-set enum values are refused."""
    writer = _Writer(ctx)
    count = min(WRITES_PER_OPERATION, max(2, max_examples(ctx) // 4))
    try:
        for op, schema_file in write_bodies_for(ctx.profile):
            ids: dict[str, Any] | None = None
            names = _PLACEHOLDER.findall(op.path)
            if names:
                if not writer.created:
                    continue  # nothing of ours to change
                ids = {names[-1]: writer.created[0][1]}
            bodies = collect(strategy(ctx.session.store, ctx.profile.schema_id(schema_file)), count)
            fields = schema_fields(ctx, schema_file)
            enums = [name for name in _enum_names(ctx.profile) if name in fields]
            for index, body in enumerate(bodies):
                if index % 2 and enums and isinstance(body, dict):
                    name = enums[index // 2 % len(enums)]
                    writer.invalid(op, {**body, name: f"harness-not-a-{name}"}, ids, name)
                else:
                    writer.valid(op, body, ids)
    finally:
        writer.clean_up()
    report(ctx, writer.problems, note=" (bodies generated from the documented request schema)")
