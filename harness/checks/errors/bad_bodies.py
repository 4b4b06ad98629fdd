"""Bad request bodies are refused: one that is not JSON, one missing its required fields,
a create without its required fields (the documented validation error), and a create
whose enumerated field holds an undocumented value.

A read operation that takes a JSON body (a POST-only API's reads, a token grant) is used
when there is one; otherwise the body goes to a documented write, which needs
``[allow] writes = true``. Invalid data is never stored by a conforming vendor; when a
vendor accepts it anyway, the check says so and removes what it can.
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, record_id, shown
from harness.checks._registry import check
from harness.checks.errors._common import invalid_enum_status
from harness.checks.errors._features import errors_of
from harness.checks.records._features import ENUMS
from harness.checks.writes._features import REQUEST_BODIES, VALIDATION_ERRORS
from harness.client import Exchange
from harness.profiles import Operation, Profile

BROKEN_JSON = b'{"harness": "malformed", '


def _token_paths(profile: Profile) -> set[str]:
    flow = profile.token
    if flow is None:
        return set()
    return {e.path for e in (flow.grant, flow.refresh, flow.reset, flow.verify) if e is not None}


def _body_reads(profile: Profile) -> list[Operation]:
    """Read operations sent with a JSON body (main first)."""
    ops = [
        op
        for op in profile.operations
        if not op.write and op.method in ("POST", "PUT", "PATCH") and op.body
    ]
    return sorted(ops, key=lambda op: not op.main)


def _creates(profile: Profile) -> list[Operation]:
    return [op for op in profile.operations if op.write and op.kind == "create"]


def _auth_for(profile: Profile, op: Operation) -> str | None:
    """Token requests carry no credentials of their own; everything else the default."""
    return None if op.path in _token_paths(profile) else "default"


def _lists_400(profile: Profile) -> str | None:
    return None if 400 in profile.statuses else "the document lists no 400 status"


def _created(ctx: CheckContext, op: Operation, exchange: Exchange) -> str:
    """Remove a record a write accepted by mistake, when a delete is documented."""
    rid = record_id(exchange.json())
    collection = op.path.split("/{", 1)[0]
    for candidate in ctx.profile.operations:
        if candidate.kind == "delete" and candidate.path.startswith(collection + "/{"):
            if rid is None:
                break
            name = candidate.path.rsplit("{", 1)[1].rstrip("}")
            gone = call(ctx, candidate, ids={name: rid})
            return f"; the record it created (id {rid}) was deleted ({gone.status})"
    return "; it may have created a record the harness cannot remove"


@check("errors.malformed-json", concern="errors", applies=_lists_400)
def malformed_json(ctx: CheckContext) -> None:
    """A request body that is not valid JSON is refused with 400."""
    reads = [op for op in _body_reads(ctx.profile) if op.path not in _token_paths(ctx.profile)]
    ops = reads or _creates(ctx.profile)
    if not ops:
        ctx.skip("no documented operation takes a JSON body")
    op = ops[0]
    if op.write and not ctx.target.allow.writes:
        ctx.skip(
            "only a write operation takes a JSON body here; sending it malformed JSON "
            "needs [allow] writes = true"
        )
    exchange = ctx.client.request(
        op.method,
        op.path,
        content=BROKEN_JSON,
        headers={"Content-Type": ctx.profile.request_content_type or "application/json"},
        auth=_auth_for(ctx.profile, op),
        operation=op.id,
        write=op.write,
    )
    if exchange.status != 400:
        extra = _created(ctx, op, exchange) if op.write and exchange.status < 300 else ""
        ctx.finding(
            f"malformed JSON answered {exchange.status}",
            f"{op.method} {op.path} with a body that is not JSON should answer 400, "
            f"got {exchange.status}{extra}",
            exchange,
        )


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _has_body_read(profile: Profile) -> str | None:
    if 400 not in profile.statuses:
        return "the document lists no 400 status"
    return None if _body_reads(profile) else "no read operation takes a JSON body"


@check("errors.missing-input", concern="errors", applies=_has_body_read)
def missing_input(ctx: CheckContext) -> None:
    """A request missing its required fields is refused with 400, naming the fields."""
    op = _body_reads(ctx.profile)[0]
    auth_field = {a.name for a in ctx.profile.auth if a.kind == "body" and a.name}
    required = [k for k in op.body if k not in auth_field]
    exchange = call(ctx, op, body={}, auth=_auth_for(ctx.profile, op))
    if exchange.status != 400:
        ctx.finding(
            f"missing input answered {exchange.status}",
            f"{op.method} {op.path} without its fields ({', '.join(required)}) should answer "
            f"400, got {exchange.status}",
            exchange,
        )
        return
    problems = []
    body = exchange.json()
    expected_type = errors_of(ctx.profile).types.get("400")
    if expected_type and (not isinstance(body, dict) or expected_type not in body.values()):
        problems.append(f"the error type is not {expected_type!r}")
    text = " ".join(_texts(body)).lower()
    if required and not any(name.lower() in text for name in required):
        problems.append(f"the error names none of the missing fields {', '.join(required)}")
    if problems:
        ctx.finding("400 does not describe the invalid input", "; ".join(problems), exchange)


def _validation(profile: Profile) -> str | None:
    spec = VALIDATION_ERRORS.read(profile)
    if spec is None or not spec.status or not any(o.method == "POST" for o in _creates(profile)):
        return "the document describes no validation error of a create"
    return None


@check("errors.validation-failure", concern="errors", applies=_validation, needs=("writes",))
def validation_failure(ctx: CheckContext) -> None:
    """Creating a record without its required fields answers the documented validation error."""
    spec = ctx.feature(VALIDATION_ERRORS)
    status = spec.status
    op = next(o for o in _creates(ctx.profile) if o.method == "POST")
    exchange = call(ctx, op, body={})
    if exchange.status != status:
        extra = _created(ctx, op, exchange) if exchange.status < 300 else ""
        ctx.finding(
            f"invalid create answered {exchange.status}",
            f"{op.method} {op.path} with an empty object should answer {status}, "
            f"got {exchange.status}{extra}",
            exchange,
        )
        return
    body = exchange.json()
    problems: list[str] = []
    schema = ctx.profile.statuses[status].schema if status in ctx.profile.statuses else None
    if schema:
        problems += [str(v) for v in ctx.validate(schema, body)]
    if not isinstance(body, dict):
        body = {}
    message = spec.message
    if message and body.get("message") != message:
        problems.append(f"message is {body.get('message')!r}, not {message!r}")
    entries = body.get(spec.errors_key or "errors")
    named = {e[0] for e in entries or () if isinstance(e, list) and e}
    missing = [f for f in spec.required_on_create if f not in named]
    if missing and not problems:
        problems.append(f"no error entry for the missing field(s) {', '.join(missing)}")
    if problems:
        ctx.finding(
            f"{status} body is not the documented validation error", shown(problems), exchange
        )


def _enum_probe(profile: Profile) -> str | None:
    enums = ENUMS.read(profile)
    if enums is None or not enums.probe_write:
        return "the document gives no invalid-enum body to probe with"
    return None if _creates(profile) else "the document describes no create operation"


@check("errors.invalid-enum-body", concern="errors", applies=_enum_probe, needs=("writes",))
def invalid_enum_body(ctx: CheckContext) -> None:
    """A create whose enumerated field holds an undocumented value is refused (422)."""
    body = dict(ctx.feature(ENUMS).probe_write or {})
    bodies = ctx.optional_feature(REQUEST_BODIES)
    wanted = bodies.create_operation if bodies else None
    creates = _creates(ctx.profile)
    op = next((o for o in creates if o.id == wanted), creates[0])
    status = invalid_enum_status(ctx.profile)
    exchange = call(ctx, op, body=body)
    if exchange.status != status:
        extra = _created(ctx, op, exchange) if exchange.status < 300 else ""
        ctx.finding(
            f"invalid enum value answered {exchange.status}",
            f"{op.method} {op.path} with {body} (a value outside the documented set) should "
            f"be refused with {status}, got {exchange.status}{extra}",
            exchange,
        )
