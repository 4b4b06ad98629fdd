"""Fuzzing the documented write bodies (only where the target allows writes).

Where the profile documents a request schema for a write (``[features.request_bodies]``:
``<x>_schema`` for the operation ``<x>_operation``), hypothesis-jsonschema draws bodies
from the bundled schema (:mod:`harness.checks.fuzz_bundle`): valid ones must be accepted
with the operation's documented status and answered with a body matching its schema;
the same bodies with one enumerated field set to a value outside its documented set
must be refused with the documented status. Every record a create makes is deleted again
when the document has a delete for it. A handful of bodies per operation: writes are
costly for the vendor.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, record_id
from harness.checks._registry import check
from harness.checks.errors import feature, named_statuses, schema_fields
from harness.checks.fuzz_bundle import strategy
from harness.checks.fuzz_judge import (
    Problem,
    judge_error_body,
    judge_invalid,
    judge_success,
    report,
)
from harness.checks.fuzz_params import Verdict, all_param_names
from harness.checks.fuzz_run import ORDER, collect, max_examples
from harness.client import Exchange
from harness.profiles import Operation, Profile

__all__ = ["write_bodies_for"]

WRITES_PER_OPERATION = 6
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def write_bodies_for(profile: Profile) -> list[tuple[Operation, str]]:
    """(write operation, request schema file) pairs the profile documents."""
    bodies = feature(profile, "request_bodies")
    found = []
    for key, value in bodies.items():
        if not key.endswith("_schema") or not isinstance(value, str):
            continue
        op_id = bodies.get(key.removesuffix("_schema") + "_operation")
        op = next((o for o in profile.operations if o.id == op_id and o.write), None)
        if op is not None and (profile.folder / value).is_file():
            found.append((op, value))
    return sorted(found, key=lambda pair: pair[0].kind != "create")


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


def _pool(ctx: CheckContext, role: str) -> list[Any]:
    return [c for c in ctx.clauses if role in c.checks]


def _accepting_clause(ctx: CheckContext, op: Operation) -> Any:
    """The linked clause that names the operation's documented success status."""
    status = op.status or 200
    return next((c for c in ctx.clauses if status in named_statuses(c.summary)[0]), None)


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
        clause = _accepting_clause(ctx, op)
        if exchange.status != status and clause is not None:
            text = f"{what} -> {exchange.status}, expected {status}: {str(body)[:160]}"
            self.problems.append(Problem(clause, "valid body not accepted", text, exchange))
        record = replace(op, kind="object")  # the answer is one record
        for role, kind in (
            ("fuzz.success-shape", "shape"),
            ("fuzz.success-ids", "id"),
            ("fuzz.success-timestamps", "timestamp"),
        ):
            self.problems += judge_success(ctx, exchange, what, record, kind, _pool(ctx, role))
        self.problems += judge_error_body(ctx, exchange, what, _pool(ctx, "fuzz.error-bodies"))

    def invalid(self, op: Operation, body: Any, ids: dict[str, Any] | None, name: str) -> None:
        ctx = self.ctx
        exchange = self.send(op, body, ids)
        what = f"{op.method} {op.path} with {name}={body[name]!r}"
        verdict = Verdict("invalid", f"{name} is outside its documented values", (name,), ("enum",))
        names = [*all_param_names(ctx.profile), name]
        pool = _pool(ctx, "fuzz.invalid-refused")
        self.problems += judge_invalid(ctx, exchange, what, verdict, pool, names)
        self.problems += judge_error_body(ctx, exchange, what, _pool(ctx, "fuzz.error-bodies"))

    def clean_up(self) -> None:
        for op, rid in self.created:
            delete = _delete_for(self.ctx.profile, op)
            if delete is None:
                continue
            name = _PLACEHOLDER.findall(delete.path)[-1]
            call(self.ctx, delete, ids={name: rid})


def _enum_fields(ctx: CheckContext, schema_file: str) -> list[str]:
    """Body fields with a documented set of values ([features.enums])."""
    enums = feature(ctx.profile, "enums")
    fields = schema_fields(ctx, schema_file)
    return [k for k, v in enums.items() if isinstance(v, list | tuple) and k in fields]


@check("fuzz.write-bodies", concern="fuzz", applies=_applies, needs=("writes",), order=ORDER)
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
            fields = _enum_fields(ctx, schema_file)
            for index, body in enumerate(bodies):
                if index % 2 and fields and isinstance(body, dict):
                    name = fields[index // 2 % len(fields)]
                    writer.invalid(op, {**body, name: f"harness-not-a-{name}"}, ids, name)
                else:
                    writer.valid(op, body, ids)
    finally:
        writer.clean_up()
    report(ctx, writer.problems, note=" (bodies generated from the documented request schema)")
