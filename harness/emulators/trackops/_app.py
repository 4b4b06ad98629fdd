"""The clean Trackops app: a gate (Basic auth, then the 1 request/second limit) before the routes.

Every response, including unknown routes, wrong methods and server errors, is JSON with
an ``{"error": "..."}`` body when it is an error (error.schema.json).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import json_response
from harness.emulators.trackops import _faults as faults
from harness.emulators.trackops._data import (
    API_TOKEN,
    USERNAME,
    Dataset,
    Record,
    build_dataset,
    render,
)
from harness.emulators.trackops._params import (
    BadParam,
    counts,
    page_slice,
    parse_query,
    select,
)

TOKEN_SUFFIX = "/token"
RATE_LIMIT_MESSAGE = "Too many requests: no more than 1 request per second is allowed."
Endpoint = Callable[[Request], Awaitable[Response]]


def error(
    ctx: EmulatorContext, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    return json_response(ctx, {"error": message}, status, headers)


def _basic(scope: Scope) -> tuple[str, str] | None:
    """(user, password) of a Basic Authorization header; None when absent."""
    for key, value in scope.get("headers", []):
        if key.lower() == b"authorization":
            scheme, _, encoded = value.decode("latin-1").partition(" ")
            if scheme.lower() != "basic":
                return ("", "")
            try:
                user, _, password = (
                    base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
                )
            except (binascii.Error, UnicodeDecodeError):
                return ("", "")
            return user, password
    return None


class Gate:
    """Pure-ASGI layer: authenticate (401/403), then rate-limit the account (429)."""

    def __init__(self, app: ASGIApp, ctx: EmulatorContext, data: Dataset) -> None:
        self.app = app
        self.ctx = ctx
        self.data = data

    def _refusal(self, scope: Scope) -> Response | None:
        ctx = self.ctx
        given = _basic(scope)
        if given is None:
            if not ctx.fault(faults.AUTH_MISSING_ACCEPTED):
                return error(
                    ctx,
                    401,
                    "Authentication required: use HTTP Basic with username "
                    "'{username}/token' and your company API token",
                    {"WWW-Authenticate": 'Basic realm="Trackops API"'},
                )
            given = (USERNAME + TOKEN_SUFFIX, API_TOKEN)
        user, password = given
        employee = self.data.users_by_name.get(user.removesuffix(TOKEN_SUFFIX))
        token_ok = password == API_TOKEN or ctx.fault(faults.AUTH_ANY_TOKEN)
        if not user.endswith(TOKEN_SUFFIX) or employee is None or not token_ok:
            return error(
                ctx,
                401,
                "Invalid username or API token",
                {"WWW-Authenticate": 'Basic realm="Trackops API"'},
            )
        if employee["access_level"] != "Full Access" and not ctx.fault(faults.AUTH_LIMITED_ALLOWED):
            return error(ctx, 403, "API access is only permitted to Full Access employees")
        rule = ctx.profile.rate_limit.rule_for("read")
        if rule is not None and not ctx.fault(faults.RATE_LIMIT_OFF):
            decision = ctx.limiter_for(rule).hit("account:" + API_TOKEN)
            if not decision.allowed:
                return error(ctx, ctx.profile.rate_limit.exceeded_status, RATE_LIMIT_MESSAGE)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _lister(ctx: EmulatorContext, data: Dataset, name: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        try:
            query = parse_query(
                name,
                request.query_params.multi_items(),
                lenient=ctx.fault(faults.INVALID_PARAMS_IGNORED),
                uncapped=ctx.fault(faults.PER_PAGE_UNCAPPED),
                ascending_default=ctx.fault(faults.DEFAULT_SORT_ASCENDING),
            )
        except BadParam as exc:
            return error(ctx, 400, str(exc))
        found = select(data.collection(name), query)
        if query.count:
            return json_response(ctx, counts(len(found), query))
        page = page_slice(found, query, overlap=ctx.fault(faults.PAGES_OVERLAP))
        plus_two = ctx.fault(faults.TIMESTAMPS_PLUS_TWO)
        return json_response(ctx, [render(rec, plus_two) for rec in page])

    return endpoint


def _getter(ctx: EmulatorContext, data: Dataset, name: str, label: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        names = list(request.query_params.keys())
        if names and not ctx.fault(faults.INVALID_PARAMS_IGNORED):
            return error(ctx, 400, f"Invalid request parameter: {names[0]!r} (none allowed here)")
        record: Record | None = data.by_id[name].get(request.path_params["id"])
        if record is None:
            return error(ctx, 404, f"{label} {request.path_params['id']} not found")
        return json_response(ctx, render(record, ctx.fault(faults.TIMESTAMPS_PLUS_TWO)))

    return endpoint


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean Trackops app over freshly seeded data (faults are switches it consults)."""
    data = build_dataset(ctx)
    base = urlsplit(ctx.profile.base_url).path.rstrip("/")
    endpoints: list[tuple[str, Endpoint]] = [
        (f"/{name}", _lister(ctx, data, name)) for name in ("clients", "cases", "users", "expenses")
    ]
    endpoints += [
        ("/clients/{id:int}", _getter(ctx, data, "clients", "Client")),
        ("/cases/{id:int}", _getter(ctx, data, "cases", "Case")),
    ]
    routes = [
        Route(base + path + slash, func, methods=["GET"])
        for path, func in endpoints
        for slash in ("", "/")
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(ctx, 404, f"Not Found: {request.url.path}")

    async def not_allowed(request: Request, exc: Exception) -> Response:
        headers = exc.headers if isinstance(exc, HTTPException) else None
        return error(
            ctx,
            405,
            f"Method {request.method} is not allowed on {request.url.path}",
            dict(headers) if headers else None,
        )

    async def server_error(request: Request, exc: Exception) -> Response:
        return error(ctx, 500, "Internal Server Error")

    app = Starlette(
        routes=routes,
        exception_handlers={404: not_found, 405: not_allowed, Exception: server_error},
    )
    app.router.redirect_slashes = False
    return Gate(app, ctx, data)
