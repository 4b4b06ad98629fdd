"""The clean TopTickets app: routes, auth, rate limits, pagination, filters, writes.

Order of refusals, as a FastAPI service with auth dependencies answers: unknown route
404 / undeclared method 405, then 401 (key), 429 (the key's per-minute tier limit on
ctx.clock), 403 (scope), 400 (body not JSON), 422 (all validation problems), 404 (id).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import iso, json_response, read_json, rng, seeded_uuid
from harness.emulators.toptickets import _fault_switches as faults
from harness.emulators.toptickets import _paging as paging
from harness.emulators.toptickets import _params as params
from harness.emulators.toptickets._auth import KeyGate
from harness.emulators.toptickets._data import PRIORITIES, Record, seed
from harness.emulators.toptickets._docs import docs_html
from harness.emulators.toptickets._filters import ticket_filters
from harness.emulators.toptickets._openapi import openapi_document

_UUID_FIELDS = ("customer_id", "assigned_user_id", "assigned_team_id")


class TopTicketsApi:
    """One emulator instance: its state and its handlers."""

    def __init__(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx
        self.db = seed(ctx)
        self.gate = KeyGate(ctx, self.db.organization_id)
        self.base = urlsplit(ctx.profile.base_url).path.rstrip("/")
        self._ids = rng(ctx, "created-ids")
        self._documents: dict[str, dict[str, Any]] = {}
        self._deleted: set[str] = set()

    # ---- responses -------------------------------------------------------------------
    def error(self, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
        return json_response(self.ctx, {"detail": detail}, status, headers)

    @property
    def validation_errors(self) -> str:
        """422 body form: "fastapi" (default, the public reference) or "document" (one
        message string: the strict reading of TOP-ERR-422-SHAPE, taken in strict mode)."""
        if self.ctx.fault(faults.VALIDATION_FASTAPI):
            return "fastapi"
        if self.ctx.options.get("strict"):
            return "document"
        return str(self.ctx.options.get("validation_errors", "fastapi"))

    def invalid(self, problems: params.Problems) -> Response:
        return json_response(self.ctx, problems.body(self.validation_errors), 422)

    def guard(self, request: Request, scope: str) -> Response | None:
        """401, 429 or 403 for a call the key may not make now (see ``_auth``)."""
        return self.gate.guard(request, scope)

    def paging(self, request: Request, problems: params.Problems) -> tuple[int, int]:
        """The offset and limit of a list call (problems collected for the 422)."""
        return paging.bounds(request, problems, self.ctx.fault)

    def page(self, request: Request, records: list[Record], problems: params.Problems) -> Response:
        """One offset/limit page of ``records`` as a bare array (or the 422)."""
        offset, limit = self.paging(request, problems)
        if (
            problems
            and self.ctx.fault(faults.BAD_PARAM_400)
            and paging.only_malformed_paging(problems)
        ):
            return self.error(400, "Invalid pagination parameters")
        if problems:
            return self.invalid(problems)
        return json_response(self.ctx, paging.window(records, offset, limit, self.ctx.fault))

    # ---- tickets -----------------------------------------------------------------------
    async def tickets(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.create_ticket(request)
        denied = self.guard(request, "tickets:read")
        if denied:
            return denied
        problems = params.Problems()
        wanted = ticket_filters(request, problems, self.ctx.fault)
        return self.page(request, wanted.apply(self.db.ordered_tickets()), problems)

    async def create_ticket(self, request: Request) -> Response:
        denied = self.guard(request, "tickets:write")
        executed = denied is not None and denied.status_code == 403
        if denied and not (executed and self.ctx.fault(faults.RO_WRITE_EXECUTED)):
            return denied
        data, bad = await self.json_body(request)
        if bad:
            return bad
        coerce = self.ctx.fault(faults.CREATE_COERCES_PRIORITY) and isinstance(data, dict)
        if coerce and data.get("priority") not in (None, *PRIORITIES):
            data["priority"] = "medium"  # an unknown value silently becomes the default
        problems = params.Problems()
        params.body_problems(data, "ticket-create.schema.json", problems)
        if problems:
            return denied or self.invalid(problems)
        now = iso(self.ctx.clock.now())
        number = self.db.next_number
        self.db.next_number += 1
        ticket: Record = {
            "id": seeded_uuid(self._ids),
            "ticket_number": number,
            "tracking_token": seeded_uuid(self._ids),
            "ticket_display_id": f"TKT-{number}",
            "customer_id": None,
            "subject": "",
            "description": None,
            "status": "new",
            "priority": "medium",
            "category": None,
            "assigned_user_id": None,
            "assigned_team_id": None,
            "due_date": None,
            "created_at": now,
            "updated_at": now,
            "resolved_at": None,
            "closed_at": None,
        }
        self.apply(ticket, data, now)
        self.db.tickets[ticket["id"]] = ticket
        self.db.comments[ticket["id"]] = []
        return denied or json_response(self.ctx, ticket, 201)  # denied: the write went through

    async def ticket(self, request: Request) -> Response:
        action = {"PATCH": "write", "DELETE": "delete"}.get(request.method, "read")
        denied = self.guard(request, f"tickets:{action}")
        if denied:
            return denied
        data: Any = None
        if request.method == "PATCH":
            data, bad = await self.json_body(request)
            if bad:
                return bad
        problems = params.Problems()
        ticket_id = params.ticket_id(request, problems)
        if request.method == "PATCH":
            params.body_problems(data, "ticket-update.schema.json", problems)
        if problems:
            return self.invalid(problems)
        ticket = self.db.tickets.get(ticket_id)
        never = ticket_id not in self._deleted and self.ctx.fault(faults.UNKNOWN_TICKET_403)
        if ticket is None:
            return self.error(403, "Not allowed") if never else self.error(404, "Ticket not found")
        if request.method == "PATCH":
            now = iso(self.ctx.clock.now())
            self.apply(ticket, data, now)
            ticket["updated_at"] = now
        elif request.method == "DELETE":
            if self.ctx.fault(faults.DELETE_KEEPS):
                return Response(status_code=204)  # answered, but nothing is deleted
            del self.db.tickets[ticket_id]
            self.db.comments.pop(ticket_id, None)
            self._deleted.add(ticket_id)
            if self.ctx.fault(faults.DELETE_200):
                return json_response(self.ctx, ticket, 200)
            return Response(status_code=204)
        return json_response(self.ctx, ticket)

    async def comments(self, request: Request) -> Response:
        denied = self.guard(request, "comments:read")
        if denied:
            return denied
        problems = params.Problems()
        ticket_id = params.ticket_id(request, problems)
        self.paging(request, problems)
        if problems:
            return self.invalid(problems)
        found = self.db.comments.get(ticket_id)
        if found is None:
            return self.error(404, "Ticket not found")
        return self.page(request, found, problems)

    def collection(
        self, scope: str, records: list[Record]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            denied = self.guard(request, scope)
            return denied or self.page(request, records, params.Problems())

        return endpoint

    # ---- helpers -----------------------------------------------------------------------
    async def json_body(self, request: Request) -> tuple[Any, Response | None]:
        """The parsed body, or the 400 for a body that is not (strict) JSON."""
        data, problem = await read_json(request)
        if problem is None and params.encodable(data):
            return data, None
        reason = (problem or "NaN, Infinity or a lone surrogate").removeprefix(
            "body is not valid JSON: "
        )
        return None, self.error(400, f"Invalid JSON body: {reason}")

    @staticmethod
    def apply(ticket: Record, data: dict[str, Any], now: str) -> None:
        """Write validated fields; a status change stamps or clears resolved_at/closed_at."""
        for name, value in data.items():
            lowered = isinstance(value, str) and name in _UUID_FIELDS
            ticket[name] = value.lower() if lowered else value
        status = data.get("status")
        if status in ("resolved", "closed") and ticket["resolved_at"] is None:
            ticket["resolved_at"] = now
        if status == "closed" and ticket["closed_at"] is None:
            ticket["closed_at"] = now
        if status == "resolved":
            ticket["closed_at"] = None
        if status in ("new", "open", "pending"):
            ticket["resolved_at"] = ticket["closed_at"] = None

    # ---- documents and errors ----------------------------------------------------------
    @property
    def document(self) -> dict[str, Any]:
        """The OpenAPI document, built once per 422 form (a fault may switch the form)."""
        form = self.validation_errors
        if form not in self._documents:
            self._documents[form] = openapi_document(self.base, form)
        return self._documents[form]

    async def openapi(self, request: Request) -> Response:
        return json_response(self.ctx, self.document)

    async def docs(self, request: Request) -> Response:
        return HTMLResponse(docs_html(self.document))

    async def http_error(self, request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            if exc.status_code == 404 and self.ctx.fault(faults.UNKNOWN_PATH_410):
                return self.error(410, "Gone")
            return self.error(exc.status_code, str(exc.detail), dict(exc.headers or {}))
        return self.error(500, "Internal Server Error")

    def app(self) -> Starlette:
        b, db = self.base, self.db
        routes = [
            Route(f"{b}/openapi.json", self.openapi, methods=["GET"]),
            Route(f"{b}/test", self.gate.key_test, methods=["POST"]),
            Route(f"{b}/tickets", self.tickets, methods=["GET", "POST"]),
            Route(f"{b}/tickets/{{ticket_id}}", self.ticket, methods=["GET", "PATCH", "DELETE"]),
            Route(f"{b}/tickets/{{ticket_id}}/comments", self.comments, methods=["GET"]),
            Route(
                f"{b}/customers", self.collection("customers:read", db.customers), methods=["GET"]
            ),
            Route(f"{b}/teams", self.collection("teams:read", db.teams), methods=["GET"]),
            Route(f"{b}/users", self.collection("users:read", db.users), methods=["GET"]),
            Route("/docs", self.docs, methods=["GET"]),
        ]
        app = Starlette(
            routes=routes,
            exception_handlers={HTTPException: self.http_error, Exception: self.http_error},
        )
        app.router.redirect_slashes = False
        return app


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean TopTickets app (faults are switched by ``ctx`` or wrapped by build_app)."""
    return TopTicketsApi(ctx).app()
