"""The clean Turris app: the Authentication API and the Upstream Entity API.

Routes (under the profile's base path, ``/v1``; shapes from docs.turrisfi.com)::

    POST /auth/jwt                                   {clientId, clientSecret} -> 201 token
    GET  /auth/test-oauth                            200 for a valid bearer token, 401 otherwise
    GET  /downstream-entity-associations             filters downstreamEntityNpn,
                                                     licenseNumber+stateCode, emailDomain, email
    GET  /downstream-entity-associations/{id}        one association; 400 bad ObjectId, 404 unknown
    GET  /downstream-entity-associations/{id}/licenses                    filters stateCode, status
    GET  /downstream-entity-associations/{id}/policy-compliance-statuses  E&O and Cyber
    GET  /downstream-entity-associations/{id}/sign-in-url?email=          a magic link
    POST /downstream-entity-associations/add | /invite                    writes (``_writes``)
    GET  /agents                                     filters downstreamEntityAssociationId, npn,
                                                     licenseNumber+stateCode
    GET  /agents/{agentId}                           one agent
    POST /agents                                     {npn, email?, downstreamEntityAssociationId?}

No collection is paged. Reads are not rate limited; writes 60/min per caller.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import rng
from harness.emulators.turris._auth import Signer, auth_routes, authenticate, client_ip
from harness.emulators.turris._data import seed_records
from harness.emulators.turris._envelope import OBJECT_ID, fail, ok, too_many
from harness.emulators.turris._faults_auth import FAULT_READS_LIMITED
from harness.emulators.turris._writes import (
    State,
    add_agent_write,
    add_association_write,
    invite_write,
    write,
)

ASSOCIATION_ID = "downstreamEntityAssociationId"
_EXCLUSIVE = ("downstreamEntityNpn", "licenseNumber", "emailDomain", "email")


def _state(request: Request) -> tuple[State, Response | None]:
    state: State = request.app.state.turris
    who = authenticate(state.ctx, state.signer, request)
    return state, who if isinstance(who, Response) else None


def _association(state: State, request: Request) -> dict[str, Any] | Response:
    value = request.path_params[ASSOCIATION_ID]
    if not OBJECT_ID.match(value):
        return fail(state.ctx, 400, f"Parameter '{ASSOCIATION_ID}' must be a MongoDB ObjectId")
    found = state.records.association(value)
    if found is None:
        return fail(state.ctx, 404, f"Downstream entity association {value} not found")
    return found


def _association_of(request: Request) -> tuple[State, dict[str, Any] | Response]:
    """The caller's state and the association the path names (or the auth refusal, or
    the 400/404 for a bad or unknown id)."""
    state, refused = _state(request)
    return state, refused or _association(state, request)


def _filter_problem(query: dict[str, str], exclusive: tuple[str, ...]) -> str | None:
    if ("licenseNumber" in query) != ("stateCode" in query):
        return "licenseNumber and stateCode must be provided together"
    used = [name for name in exclusive if name in query]
    if len(used) > 1:
        return f"Filters {', '.join(used)} are mutually exclusive"
    return None


def _licensed(state: State, association_id: str, query: dict[str, str]) -> bool:
    return any(
        lic["licenseNumber"] == query["licenseNumber"] and lic["stateCode"] == query["stateCode"]
        for lic in state.records.licenses.get(association_id, [])
    )


async def list_associations(request: Request) -> Response:
    state, refused = _state(request)
    if refused:
        return refused
    if state.ctx.fault(FAULT_READS_LIMITED):
        decision = state.ctx.limiter("reads", 60, 60).hit(client_ip(request))
        if not decision.allowed:
            return too_many(state.ctx, decision, "read requests")
    query = dict(request.query_params)
    problem = _filter_problem(query, _EXCLUSIVE)
    if problem:
        return fail(state.ctx, 400, problem)
    found = state.records.associations
    if "downstreamEntityNpn" in query:
        found = [a for a in found if a["downstreamEntity"]["npn"] == query["downstreamEntityNpn"]]
    if "licenseNumber" in query:
        found = [a for a in found if _licensed(state, a["_id"], query)]
    if "email" in query:
        found = [a for a in found if state.contacts.get(a["_id"]) == query["email"]]
    if "emailDomain" in query:
        suffix = "@" + query["emailDomain"].lower()
        found = [a for a in found if state.contacts.get(a["_id"], "").lower().endswith(suffix)]
    return ok(state.ctx, found)


async def get_association(request: Request) -> Response:
    state, found = _association_of(request)
    return found if isinstance(found, Response) else ok(state.ctx, found)


async def association_licenses(request: Request) -> Response:
    state, found = _association_of(request)
    if isinstance(found, Response):
        return found
    licenses = state.records.licenses.get(found["_id"], [])
    for name in ("stateCode", "status"):
        if name in request.query_params:
            licenses = [lic for lic in licenses if lic[name] == request.query_params[name]]
    return ok(state.ctx, licenses)


async def policy_compliance(request: Request) -> Response:
    state, found = _association_of(request)
    if isinstance(found, Response):
        return found
    return ok(state.ctx, state.records.compliance[found["_id"]])


async def sign_in_url(request: Request) -> Response:
    state, found = _association_of(request)
    if isinstance(found, Response):
        return found
    email = request.query_params.get("email")
    if not email or "@" not in email:
        return fail(state.ctx, 400, "Query parameter 'email' is required and must be an email")
    link = f"https://www.app.live.turrisfi.com/sign-in?association={found['_id']}"
    return ok(state.ctx, {"signInUrl": f"{link}&email={quote(email)}"})


async def list_agents(request: Request) -> Response:
    state, refused = _state(request)
    if refused:
        return refused
    query = dict(request.query_params)
    problem = _filter_problem(query, ("npn", "licenseNumber"))
    if problem:
        return fail(state.ctx, 400, problem)
    found = state.records.agents
    links = state.records.agent_association
    if ASSOCIATION_ID in query:
        found = [a for a in found if links.get(a["agent"]["_id"]) == query[ASSOCIATION_ID]]
    if "npn" in query:
        found = [a for a in found if a["agent"]["npn"] == query["npn"]]
    if "licenseNumber" in query:
        found = [a for a in found if _licensed(state, links.get(a["agent"]["_id"], ""), query)]
    return ok(state.ctx, found)


async def get_agent(request: Request) -> Response:
    state, refused = _state(request)
    if refused:
        return refused
    value = request.path_params["agentId"]
    if not OBJECT_ID.match(value):
        return fail(state.ctx, 400, "Parameter 'agentId' must be a MongoDB ObjectId")
    found = state.records.agent(value)
    if found is None:
        return fail(state.ctx, 404, f"Agent with agentId {value} not found")
    return ok(state.ctx, found)


async def add_association(request: Request) -> Response:
    return await write(request, "association", add_association_write)


async def invite(request: Request) -> Response:
    return await write(request, "invite", invite_write)


async def add_agent(request: Request) -> Response:
    return await write(request, "agent", add_agent_write)


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
    """Express-style non-strict routing: ``/v1/agents/`` is ``/v1/agents``."""

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
    dea = f"{base}/downstream-entity-associations"
    one = f"{dea}/{{{ASSOCIATION_ID}}}"
    routes = [
        *auth_routes(ctx, signer, base),
        Route(dea, list_associations, methods=["GET"]),
        Route(f"{dea}/add", add_association, methods=["POST"]),
        Route(f"{dea}/invite", invite, methods=["POST"]),
        Route(one, get_association, methods=["GET"]),
        Route(f"{one}/licenses", association_licenses, methods=["GET"]),
        Route(f"{one}/policy-compliance-statuses", policy_compliance, methods=["GET"]),
        Route(f"{one}/sign-in-url", sign_in_url, methods=["GET"]),
        Route(f"{base}/agents", list_agents, methods=["GET"]),
        Route(f"{base}/agents", add_agent, methods=["POST"]),
        Route(f"{base}/agents/{{agentId}}", get_agent, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.router.redirect_slashes = False
    app.state.turris = State(ctx, seed_records(ctx), signer, rng(ctx, "created-ids"))
    return _TrailingSlash(app)
