"""The clean TuriTop app: POST-only operations with the token in the JSON body.

Every request to an operation goes through one pipeline:

1. method: only POST is served (document: "Parameters must be sent using POST (parameters
   sent using GET are ignored)"); any other method gets 405 with ``Allow: POST`` and an
   ERROR envelope, never data. Query-string parameters are never read.
2. body: must be a JSON object (an empty body counts as ``{}``); otherwise 400.
3. rate limit: 60 requests per 60 s per account (profile rule, assumed; overridable by
   ``options["rate_limits"]["all"]``). The account is the one of the body's token (expired
   or not) or grant ``short_id``; otherwise the client address. Errors count too (the
   document monitors "operations and errors"). Over the limit: 429 ERROR envelope with
   ``Retry-After``; the block lifts with the next window.
4. token (all but the authorization calls): ``access_token`` in the body (strict reading
   of TURI-AUTH-TOKEN-BODY); an ``Authorization: Bearer`` header is accepted when the body
   has none (the lenient reading). Missing, unknown or expired: 401.
5. ``data`` must be present and a JSON object (400), then the operation runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from harness.emulators._base import EmulatorContext
from harness.emulators._faults import Every
from harness.emulators._kit import read_json, rng
from harness.emulators.turitop import _bookings as bookings
from harness.emulators.turitop import _events as events
from harness.emulators.turitop import _fault_names as F
from harness.emulators.turitop import _operations as ops
from harness.emulators.turitop._data import COMPANY_SHORT_ID, SECRET_KEY, Store, seed_store
from harness.emulators.turitop._envelope import ApiError, fail, ok
from harness.emulators.turitop._tokens import (
    ACCESS_LIFETIME,
    REFRESH_LIFETIME,
    TokenState,
    TokenStore,
)

SHORT_ID = COMPANY_SHORT_ID  # the one seeded account
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

Operation = Callable[[EmulatorContext, Store, dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Operation] = {
    "/booking/getbookings": ops.get_bookings,
    "/product/getproducts": ops.get_products,
    "/tickets/get": ops.get_tickets,
    "/service/getservices": ops.get_services,
    "/product/getcalendardata": events.get_calendar,
    "/product/tour/getevents": events.get_events,
    "/product/tour/getavailable": events.get_available,
    "/product/checkpromocode": events.check_promo_code,
    "/product/tour/insertindividualevents": events.insert_individual_events,
    "/booking/tour/insert": bookings.insert_booking,
    "/booking/tour/edit": bookings.edit_booking,
}
AUTH_PATHS = (
    "/authorization/grant",
    "/authorization/renew",
    "/authorization/refresh",
    "/authorization/revoke",
)


def _text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    return value if isinstance(value, str) and value else None


def _from_query(request: Request, path: str) -> dict[str, Any]:
    """The TURI-HTTP-GET-IGNORED fault: a query string read as if it were the POST body."""
    params: dict[str, Any] = {}
    for key, value in request.query_params.items():
        params[key] = int(value) if value.isdigit() else value
    token = params.pop("access_token", None)
    data = {"filter": params} if path == "/booking/getbookings" else params
    return {"access_token": token, "data": data} if token is not None else {"data": data}


class TuriTop:
    def __init__(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx
        self.store = seed_store(ctx)
        self.tokens = TokenStore(rng(ctx, "tokens"))
        self.base = urlsplit(ctx.profile.base_url).path.rstrip("/")
        rule = ctx.profile.rate_limit.rule_for("all")
        assert rule is not None, "the TuriTop profile has a rule for all calls"
        self.limiter = ctx.limiter_for(rule)
        self.quarter = Every(4)  # the LIMIT_QUADRUPLED fault counts one call in four
        self.blocked_until: dict[str, float] = {}  # the BLOCK_STICKS fault's long blocks
        self.expired_chains: set[int] = set()  # refused for expiry (RENEWED_AFTER_EXPIRY_DEAD)

    # ------------------------------------------------------------------ pipeline
    def endpoint(self, path: str) -> Callable[[Request], Awaitable[Response]]:
        async def serve(request: Request) -> Response:
            try:
                return await self._serve(request, path)
            except ApiError as error:
                return fail(self.ctx, error)

        return serve

    async def _serve(self, request: Request, path: str) -> Response:
        like_post = request.method == "GET" and self.ctx.fault(F.GET_SERVED_LIKE_POST)
        if request.method != "POST" and not like_post:
            if not (
                request.method == "GET"
                and request.query_params
                and self.ctx.fault(F.GET_QUERY_HONOURED)
            ):
                raise _method_not_allowed(request.method)
            body: Any = _from_query(request, path)
        else:
            body, problem = await read_json(request)
            if problem:
                status = 500 if self.ctx.fault(F.MALFORMED_JSON_500) else 400
                raise ApiError(status, "Malformed request: " + problem)
            if body is None:
                body = {}
            if not isinstance(body, dict):
                raise ApiError(400, "Malformed request: the body must be a JSON object")
        self._count(request, body)
        if path in AUTH_PATHS:
            return ok(self.ctx, self._authorization(path, body))
        self._authenticate(request, body, path)
        data = body.get("data")
        if data is None:
            raise ApiError(400, "Missing required parameter: data", {"missing": ["data"]})
        if not isinstance(data, dict):
            raise ApiError(400, "Malformed request: data must be a JSON object")
        return ok(self.ctx, OPERATIONS[path](self.ctx, self.store, data))

    def _token(self, request: Request, body: dict[str, Any]) -> str | None:
        token = _text(body, "access_token")
        if token is None:
            scheme, _, value = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and value.strip():
                token = value.strip()
        return token

    def _count(self, request: Request, body: dict[str, Any]) -> None:
        if self.ctx.fault(F.NEVER_BLOCKS):
            return
        if self.ctx.fault(F.LIMIT_QUADRUPLED) and not self.quarter():
            return
        token = self._token(request, body)
        account = (self.tokens.account_of(token) if token else None) or (
            SHORT_ID if _text(body, "short_id") == SHORT_ID else None
        )
        key = account or f"ip:{request.client.host if request.client else '?'}"
        now = self.ctx.clock.now()
        if now < self.blocked_until.get(key, 0) and self.ctx.fault(F.BLOCK_STICKS):
            raise ApiError(429, "Too many requests: this account is blocked", {"limit": 0})
        decision = self.limiter.hit(key)
        if not decision.allowed:
            if self.ctx.fault(F.BLOCK_STICKS):
                self.blocked_until[key] = now + 86400
            raise ApiError(
                429,
                "Too many requests: temporarily blocked, retry later",
                {"limit": decision.limit, "retry_after": decision.retry_after},
                {"Retry-After": str(decision.retry_after)},
            )

    def _authenticate(self, request: Request, body: dict[str, Any], path: str) -> None:
        token = self._token(request, body)
        if token is None:
            empty = body.get("access_token") == ""
            if self.ctx.fault(F.MISSING_TOKEN_SERVED) and "access_token" not in body:
                return
            if self.ctx.fault(F.EMPTY_TOKEN_SERVED) and empty:
                return
            raise ApiError(401, "Unauthorized: access_token is required")
        lifetime = ACCESS_LIFETIME
        if self.ctx.fault(F.TOKEN_TWO_HOURS):
            lifetime = 2 * ACCESS_LIFETIME
        elif self.ctx.fault(F.TOKEN_FIFTY_MINUTES):
            lifetime = 50 * 60
        state = self.tokens.check(token, self.ctx.clock.now(), lifetime)
        if state is TokenState.UNKNOWN:
            if self.ctx.fault(F.UNKNOWN_TOKEN_SERVED):
                return
            raise ApiError(401, "Unauthorized: invalid access token")
        if state is TokenState.EXPIRED:
            chain = self.tokens.chain_of(token)
            if chain is not None:
                self.expired_chains.add(chain)
            status = 403 if self.ctx.fault(F.EXPIRED_TOKEN_403) else 401
            if path == "/booking/getbookings" and self.ctx.fault(F.EXPIRED_TOKEN_400_ON_BOOKINGS):
                status = 400
            raise ApiError(
                status,
                "Unauthorized: access token expired, renew it with the refresh token",
                {"renew": f"{self.base}/authorization/renew"},
            )

    # ------------------------------------------------------------------ authorization
    def _authorization(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        now = self.ctx.clock.now()
        if path == "/authorization/grant":
            missing = [k for k in ("short_id", "secret_key") if _text(body, k) is None]
            if missing:
                raise ApiError(
                    400, f"Missing required parameters: {', '.join(missing)}", {"missing": missing}
                )
            if body["short_id"] != SHORT_ID or body["secret_key"] != SECRET_KEY:
                raise ApiError(401, "Unauthorized: invalid short_id or secret_key")
            issued = self.tokens.grant(SHORT_ID, now)
        else:
            refresh = _text(body, "refresh_token")
            if refresh is None:
                raise ApiError(
                    400, "Missing required parameter: refresh_token", {"missing": ["refresh_token"]}
                )
            if path == "/authorization/revoke":
                if not self.tokens.revoke(refresh):
                    raise ApiError(401, "Unauthorized: invalid or used refresh token")
                return {"revoked": True}
            found = self.tokens.renew(
                refresh,
                now,
                working=self._renewal_works(refresh),
                lifetime=30 * 86400
                if self.ctx.fault(F.REFRESH_TOKEN_30_DAYS)
                else REFRESH_LIFETIME,
            )
            if found is None:
                raise ApiError(401, "Unauthorized: invalid, used or expired refresh token")
            issued = found
        return {
            "access_token": issued.access_token,
            "refresh_token": issued.refresh_token,
            "company_short_id": issued.account,
        }

    def _renewal_works(self, refresh: str) -> bool:
        if self.ctx.fault(F.RENEWED_TOKEN_DEAD):
            return False
        expired = self.tokens.refresh_chain_of(refresh) in self.expired_chains
        return not (expired and self.ctx.fault(F.RENEWED_AFTER_EXPIRY_DEAD))

    # ------------------------------------------------------------------ assembly
    def app(self) -> ASGIApp:
        routes = [
            Route(self.base + path, self.endpoint(path), methods=ALL_METHODS)
            for path in [*AUTH_PATHS, *OPERATIONS]
        ]
        app = Starlette(
            routes=routes,
            exception_handlers={
                HTTPException: self._http_error,
                Exception: self._server_error,
            },
        )
        app.router.redirect_slashes = False
        return app

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            code = 400 if self.ctx.fault(F.UNKNOWN_OPERATION_400) else 404
            error = ApiError(code, f"Unknown operation: {request.method} {request.url.path}")
        elif status == 405:
            error = _method_not_allowed(request.method)
        else:
            error = ApiError(status, getattr(exc, "detail", None) or "Request failed")
        return fail(self.ctx, error)

    async def _server_error(self, request: Request, exc: Exception) -> Response:
        return fail(self.ctx, ApiError(500, "Internal server error"))


def _method_not_allowed(method: str) -> ApiError:
    return ApiError(
        405,
        f"Method {method} not allowed: every operation is a POST with a JSON body",
        {"allowed": ["POST"]},
        {"Allow": "POST"},
    )


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean TuriTop app (faults are switched by ``ctx`` or wrapped by build_app)."""
    return TuriTop(ctx).app()
