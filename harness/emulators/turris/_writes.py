"""The Turris writes: add an association, invite one, add an agent; idempotency keys.

Bodies follow the public reference (docs.turrisfi.com, API reference v1): ``POST /agents``
takes ``{npn, email?, downstreamEntityAssociationId?}``; ``POST
/downstream-entity-associations/add`` and ``/invite`` take the contact (firstName,
lastName, email), ``isNpnRequired``, ``category`` and ``downstreamEntityName``. Every write
is limited to 60 a minute per caller and honours ``idempotency-key`` /
``x-idempotency-key`` (UUID v4) for an hour: the same key with the same request replays
the first response; with another request it is a 400.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import content_type, seeded_objectid
from harness.emulators.turris._auth import Signer, authenticate, object_body
from harness.emulators.turris._data import (
    CATEGORIES,
    Records,
    add_association,
    new_agent,
    new_association,
)
from harness.emulators.turris._envelope import (
    OBJECT_ID,
    UUID_V4,
    fail,
    now_ms,
    ok,
    rate_headers,
    too_many,
)
from harness.emulators.turris._faults import FAULT_ALT_KEY_IGNORED, FAULT_KEY_IGNORED
from harness.emulators.turris._faults_auth import FAULT_WRITES_UNLIMITED

IDEMPOTENCY_WINDOW = 3600
Result = tuple[Any, list[str]]  # the data to answer, or the input errors


@dataclass
class Replay:
    stored_at: float
    fingerprint: str
    status: int
    body: bytes


@dataclass
class State:
    ctx: EmulatorContext
    records: Records
    signer: Signer
    new_ids: random.Random
    replays: dict[tuple[str, str], Replay] = field(default_factory=dict)
    contacts: dict[str, str] = field(default_factory=dict)  # association _id -> email


def _text(body: dict[str, Any], name: str, errors: list[str], *, required: bool) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            errors.append(f"Field '{name}' is required")
        return None
    if not isinstance(value, str) or not value.strip():
        errors.append(f"Field '{name}' must be a non-empty string")
        return None
    return value


def _email(body: dict[str, Any], errors: list[str], *, required: bool) -> str | None:
    value = _text(body, "email", errors, required=required)
    if value is not None and (value.count("@") != 1 or value.startswith("@") or "." not in value):
        errors.append("Field 'email' must be an email address")
        return None
    return value


def _contact_body(body: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    for name in ("firstName", "lastName", "downstreamEntityName"):
        _text(body, name, errors, required=True)
    _email(body, errors, required=True)
    if not isinstance(body.get("isNpnRequired"), bool):
        errors.append("Field 'isNpnRequired' must be a boolean")
    if body.get("category") not in CATEGORIES:
        errors.append(f"Field 'category' must be one of: {', '.join(CATEGORIES)}")
    return errors


def add_association_write(state: State, body: dict[str, Any], object_id: str) -> Result:
    errors = _contact_body(body)
    if body.get("isNpnRequired") is True:
        _text(body, "downstreamEntityNpn", errors, required=True)
    if errors:
        return None, errors
    created = now_ms(state.ctx)
    record = new_association(state.new_ids, object_id, created, body)
    add_association(state.records, state.new_ids, record, created / 1000)
    state.contacts[object_id] = str(body["email"])
    return record, []


def invite_write(state: State, body: dict[str, Any], object_id: str) -> Result:
    errors = _contact_body(body)
    if not isinstance(body.get("useInviteUrl"), bool):
        errors.append("Field 'useInviteUrl' must be a boolean")
    if errors:
        return None, errors
    return {"url": f"https://www.app.live.turrisfi.com/invite/{object_id}"}, []


def add_agent_write(state: State, body: dict[str, Any], object_id: str) -> Result:
    errors: list[str] = []
    npn = _text(body, "npn", errors, required=True)
    if npn is not None and not npn.isdigit():
        errors.append("Field 'npn' must be a string of digits")
    _email(body, errors, required=False)
    association = _text(body, "downstreamEntityAssociationId", errors, required=False)
    if association is not None and not OBJECT_ID.match(association):
        errors.append("Field 'downstreamEntityAssociationId' must be a MongoDB ObjectId")
    elif association is not None and state.records.association(association) is None:
        errors.append("Field 'downstreamEntityAssociationId' does not match an association")
    if errors:
        return None, errors
    agent = new_agent(state.new_ids, object_id, now_ms(state.ctx), body)
    state.records.agents.append(agent)
    if association is not None:
        state.records.agent_association[object_id] = association
    return agent, []


def _idempotency_key(state: State, request: Request) -> tuple[str | None, str | None]:
    """The key the caller sent (None if none) and, if it is unusable, why."""
    names = []
    if not state.ctx.fault(FAULT_KEY_IGNORED):
        names.append("idempotency-key")
    if not state.ctx.fault(FAULT_ALT_KEY_IGNORED):
        names.append("x-idempotency-key")
    for name in names:
        value = request.headers.get(name)
        if value is not None:
            if not UUID_V4.match(value.strip()):
                return None, f"Header '{name}' must be a UUID v4"
            return value.strip().lower(), None
    return None, None


def _new_id(state: State) -> str:
    while True:
        candidate = seeded_objectid(state.new_ids, state.ctx.clock.now())
        if not state.records.taken(candidate):
            return candidate


async def write(
    request: Request, what: str, build: Callable[[State, dict[str, Any], str], Result]
) -> Response:
    """One write: auth, the write limit, the JSON body, idempotency, then ``build``."""
    state: State = request.app.state.turris
    ctx = state.ctx
    who = authenticate(ctx, state.signer, request)
    if isinstance(who, Response):
        return who
    headers: dict[str, str] = {}
    rule = ctx.profile.rate_limit.rule_for("write")
    if rule is not None:
        decision = ctx.limiter_for(rule).hit(who)
        if not decision.allowed and not ctx.fault(FAULT_WRITES_UNLIMITED):
            return too_many(ctx, decision, "write requests")
        headers = rate_headers(ctx, decision)
    body = await object_body(ctx, request, headers)
    if isinstance(body, Response):
        return body
    key, bad_key = _idempotency_key(state, request)
    if bad_key:
        return fail(ctx, 400, bad_key, headers=headers)
    canonical = json.dumps([what, body], sort_keys=True, separators=(",", ":"))
    fingerprint = hashlib.sha256(canonical.encode()).hexdigest()
    now = ctx.clock.now()
    if key is not None:
        seen = state.replays.get((who, key))
        if seen is not None and now - seen.stored_at < IDEMPOTENCY_WINDOW:
            if seen.fingerprint != fingerprint:
                return fail(
                    ctx,
                    400,
                    "Idempotency key was already used with a different request; use a new key",
                    headers=headers,
                )
            return Response(seen.body, seen.status, headers=headers, media_type=content_type(ctx))
    data, errors = build(state, body, _new_id(state))
    if errors:
        return fail(ctx, 400, *errors, headers=headers)
    response = ok(ctx, data, 201, headers)
    if key is not None:
        state.replays[(who, key)] = Replay(
            now, fingerprint, response.status_code, bytes(response.body)
        )
    return response
