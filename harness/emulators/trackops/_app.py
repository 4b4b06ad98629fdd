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
from harness.emulators.trackops import _switches as faults
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
    Quirks,
    counts,
    page_slice,
    parse_query,
    select,
)
from harness.emulators.trackops._writes import create_case

TOKEN_SUFFIX = "/token"
# collection name -> its path under the base URL (expense entries: the client's expense/entries)
COLLECTIONS = {
    "clients": "/clients",
    "cases": "/cases",
    "users": "/users",
    "expenses": "/expense/entries",
}
FULL_ACCESS_ONLY = "API access is only permitted to Full Access employees"
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
        # fault AUTH_DECISION_CACHED_BY_TOKEN: tokens whose next login gets a stale 403
        self._stale_refusals: set[str] = set()
        # fault REPEAT_WITHIN_2S_THROTTLED: the last request (target, time, served)
        self._last: tuple[str, float, bool] | None = None

    def _refusal(self, scope: Scope) -> Response | None:
        ctx = self.ctx
        given = _basic(scope)
        if given is None and ctx.fault(faults.AUTH_MISSING_ACCEPTED):
            given = (USERNAME + TOKEN_SUFFIX, API_TOKEN)
        if given == ("", "") and ctx.fault(faults.AUTH_MALFORMED_ACCEPTED):
            given = (USERNAME + TOKEN_SUFFIX, API_TOKEN)
        if given is None:
            return error(
                ctx,
                401,
                "Authentication required: use HTTP Basic with username "
                "'{username}/token' and your company API token",
                {"WWW-Authenticate": 'Basic realm="Trackops API"'},
            )
        user, password = given
        suffixed = user.endswith(TOKEN_SUFFIX)
        employee = self.data.users_by_name.get(user.removesuffix(TOKEN_SUFFIX))
        token_ok = password == API_TOKEN or ctx.fault(faults.AUTH_ANY_TOKEN)
        if not suffixed or employee is None or not token_ok:
            return error(
                ctx,
                401,
                "Invalid username or API token",
                {"WWW-Authenticate": 'Basic realm="Trackops API"'},
            )
        cached = ctx.fault(faults.AUTH_DECISION_CACHED_BY_TOKEN)
        if employee["access_level"] != "Full Access" and not ctx.fault(faults.AUTH_LIMITED_ALLOWED):
            if cached:  # the decision is cached under the shared company token, not the user
                self._stale_refusals.add(password)
            return error(ctx, 403, FULL_ACCESS_ONLY)
        if cached and password in self._stale_refusals:
            self._stale_refusals.discard(password)
            return error(ctx, 403, FULL_ACCESS_ONLY)
        return self._throttled(scope)

    def _repeated_too_soon(self, scope: Scope) -> bool:
        """Fault REPEAT_WITHIN_2S_THROTTLED: the same URL as the previous request, which was
        served less than 2 s ago (a duplicate-request guard stricter than the document)."""
        target = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        now = self.ctx.clock.now()
        last, self._last = self._last, (target, now, False)
        if not self.ctx.fault(faults.REPEAT_WITHIN_2S_THROTTLED) or last is None:
            return False
        return last[0] == target and last[2] and now - last[1] < 2.0

    def _throttled(self, scope: Scope) -> Response | None:
        ctx = self.ctx
        rule = ctx.profile.rate_limit.rule_for("read")
        if rule is None or ctx.fault(faults.RATE_LIMIT_OFF):
            return None
        if self._repeated_too_soon(scope):
            return error(ctx, ctx.profile.rate_limit.exceeded_status, RATE_LIMIT_MESSAGE)
        if not ctx.limiter_for(rule).hit("account:" + API_TOKEN).allowed:
            return error(ctx, ctx.profile.rate_limit.exceeded_status, RATE_LIMIT_MESSAGE)
        if self._last is not None:
            self._last = (self._last[0], self._last[1], True)
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
        items = request.query_params.multi_items()
        with_dir = any(k == "dir" for k, _ in items)
        if name == "users" and with_dir and ctx.fault(faults.USERS_SIZE_IGNORED_WITH_DIR):
            items = [(k, v) for k, v in items if k not in ("per_page", "page") or not v.isdigit()]
        entries = name == "expenses"
        try:
            quirks = Quirks(
                lenient=ctx.fault(faults.INVALID_PARAMS_IGNORED),
                unknown_ignored=ctx.fault(faults.UNKNOWN_NAMES_IGNORED),
                uncapped=ctx.fault(faults.PER_PAGE_UNCAPPED),
                over_cap_refused=ctx.fault(faults.PER_PAGE_OVER_100_REFUSED),
                large_as_cap=entries and ctx.fault(faults.PER_PAGE_LARGE_AS_100),
                ascending_default=ctx.fault(faults.DEFAULT_SORT_ASCENDING),
                to_ignored=ctx.fault(faults.TO_IGNORED),
                updated_on_created=ctx.fault(faults.UPDATED_RANGE_ON_CREATED),
            )
            query = parse_query(name, items, quirks)
        except BadParam as exc:
            return error(ctx, 400, str(exc))
        if ctx.fault(faults.ASC_FIRST_PAGE_DESC) and query.page == 1:
            query.descending = True  # a cached first page, whatever dir says
        found = select(data.collection(name), query)
        if query.count:
            return json_response(ctx, counts(len(found), query))
        page = page_slice(
            found,
            query,
            overlap=ctx.fault(faults.PAGES_OVERLAP),
            second_short=entries and ctx.fault(faults.SECOND_PAGE_SHORT),
        )
        if not page and query.page > 1 and ctx.fault(faults.PAST_END_404):
            return error(ctx, 404, f"Page {query.page} not found")
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
    endpoints: list[tuple[str, str, Endpoint]] = [
        ("GET", path, _lister(ctx, data, name)) for name, path in COLLECTIONS.items()
    ]
    endpoints += [
        ("GET", "/clients/{id:int}", _getter(ctx, data, "clients", "Client")),
        ("GET", "/cases/{id:int}", _getter(ctx, data, "cases", "Case")),
        ("GET", "/expense/entries/{id:int}", _getter(ctx, data, "expenses", "Expense entry")),
        (
            "POST",
            "/cases",
            create_case(
                ctx,
                data,
                lambda status, message: error(ctx, status, message),
                lambda: ctx.fault(faults.TIMESTAMPS_PLUS_TWO),
            ),
        ),
    ]
    routes = [
        Route(base + path + slash, func, methods=[method])
        for method, path, func in endpoints
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
