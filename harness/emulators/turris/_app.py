"""The clean Turris app: token grant and check, agencies, agents and policies.

Routes (under the profile's base path, ``/v1``)::

    POST /auth/jwt            {clientId, clientSecret} -> 201 {accessToken, expiresIn, tokenType}
    GET  /auth/test-oauth     200 for a valid bearer token, 401 otherwise
    GET  /agencies | /agents | /policies                 whole collections (no paging)
    GET  /agencies/{id} | /agents/{id} | /policies/{id}  one record; 400 bad ObjectId, 404 unknown
    POST /agencies | /agents | /policies                 201 create, idempotency keys honoured

Auth and tokens are in ``_auth``. Limits (PUBLIC-FACTS): writes 60/min per caller, reads unlimited.
Creates honour ``idempotency-key`` / ``x-idempotency-key`` (UUID v4) for an hour: the same
key with the same request replays the first response; with another request it is a 400.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import content_type, rng, seeded_objectid
from harness.emulators.turris._auth import Signer, auth_routes, authenticate, object_body
from harness.emulators.turris._data import (
    ID_FIELDS,
    SINGULAR,
    Records,
    build_record,
    seed_records,
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

IDEMPOTENCY_WINDOW = 3600


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


# ---------------------------------------------------------------- resources


def _collection(request: Request) -> str:
    route = request.scope["route"]
    assert isinstance(route, Route)
    return route.name.split(".")[0]


async def list_records(request: Request) -> Response:
    state: State = request.app.state.turris
    who = authenticate(state.ctx, state.signer, request)
    if isinstance(who, Response):
        return who
    return ok(state.ctx, state.records.all(_collection(request)))


async def get_record(request: Request) -> Response:
    state: State = request.app.state.turris
    who = authenticate(state.ctx, state.signer, request)
    if isinstance(who, Response):
        return who
    collection = _collection(request)
    id_field = ID_FIELDS[collection]
    record_id = request.path_params[id_field]
    if not OBJECT_ID.match(record_id):
        return fail(
            state.ctx,
            400,
            f"Parameter '{id_field}' must be a MongoDB ObjectId (24 lower-case hex characters)",
        )
    record = state.records.get(collection, record_id)
    if record is None:
        return fail(
            state.ctx,
            404,
            f"{SINGULAR[collection].capitalize()} with {id_field} {record_id} not found",
        )
    return ok(state.ctx, record)


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


async def create_record(request: Request) -> Response:
    state: State = request.app.state.turris
    ctx = state.ctx
    who = authenticate(ctx, state.signer, request)
    if isinstance(who, Response):
        return who
    headers: dict[str, str] = {}
    rule = ctx.profile.rate_limit.rule_for("write")
    if rule is not None:
        decision = ctx.limiter_for(rule).hit(who)
        if not decision.allowed:
            return too_many(ctx, decision, "write requests")
        headers = rate_headers(ctx, decision)
    body = await object_body(ctx, request, headers)
    if isinstance(body, Response):
        return body
    key, bad_key = _idempotency_key(state, request)
    if bad_key:
        return fail(ctx, 400, bad_key, headers=headers)
    collection = _collection(request)
    canonical = json.dumps([collection, body], sort_keys=True, separators=(",", ":"))
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
    record, errors = build_record(state.records, collection, body, _new_id(state, now), now_ms(ctx))
    if record is None:
        return fail(ctx, 400, *errors, headers=headers)
    state.records.add(collection, record)
    response = ok(ctx, record, 201, headers)
    if key is not None:
        first = Replay(now, fingerprint, response.status_code, bytes(response.body))
        state.replays[(who, key)] = first
    return response


def _new_id(state: State, now: float) -> str:
    while True:
        candidate = seeded_objectid(state.new_ids, now)
        if not state.records.taken(candidate):
            return candidate


# ---------------------------------------------------------------- errors and assembly


async def http_error(request: Request, exc: Exception) -> Response:
    state: State = request.app.state.turris
    if isinstance(exc, HTTPException) and exc.status_code in (404, 405):
        # like the vendor's framework: an unmatched method and path is a 404
        return fail(state.ctx, 404, f"Cannot {request.method} {request.url.path}")
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status not in (400, 401, 403, 404, 429):
        status = 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Internal server error"
    return fail(state.ctx, status, str(detail))


async def server_error(request: Request, exc: Exception) -> Response:
    state: State = request.app.state.turris
    return fail(state.ctx, 500, "Internal server error")


class _TrailingSlash:
    """Express-style non-strict routing: ``/v1/agencies/`` is ``/v1/agencies``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/"}
        await self.app(scope, receive, send)


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean Turris app (faults are switched by ``ctx`` or wrapped by build_app)."""
    base = urlsplit(ctx.profile.base_url).path.rstrip("/")
    signer = Signer(ctx)
    routes = auth_routes(ctx, signer, base)
    for collection, id_field in ID_FIELDS.items():
        routes += [
            Route(f"{base}/{collection}", list_records, methods=["GET"], name=f"{collection}.list"),
            Route(
                f"{base}/{collection}", create_record, methods=["POST"], name=f"{collection}.create"
            ),
            Route(
                f"{base}/{collection}/{{{id_field}}}",
                get_record,
                methods=["GET"],
                name=f"{collection}.get",
            ),
        ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.router.redirect_slashes = False
    app.state.turris = State(ctx, seed_records(ctx), signer, rng(ctx, "created-ids"))
    return _TrailingSlash(app)
