"""The clean ITRP app: the routes (service root, /me, requests, people, sites, enums, under
/v1) inside the cross-cutting layer of ``_middleware`` (auth, rate limit, ETag, JSON-P)."""

from __future__ import annotations

import email.parser
import email.policy
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import json_response
from harness.emulators.itrp import _vocab as vocab
from harness.emulators.itrp._common import ItrpError, base_path, caller, error_response, origin
from harness.emulators.itrp._data import TRUSTED, Req, Store, seed_store
from harness.emulators.itrp._faults import (
    F_CREATE_DEFAULTS,
    F_PATCH_RESETS,
    F_PUT_IGNORED,
    F_PUT_REJECTED,
    F_RESET_INACTIVE,
    F_RESET_KEEPS_OLD,
    F_RESET_SAME_TOKEN,
)
from harness.emulators.itrp._middleware import ItrpLayer
from harness.emulators.itrp._paging import paginate

SUBJECT_MAX = 255


def shape(request: Request, record: dict[str, Any]) -> dict[str, Any]:
    """Apply ``?fields=a,b``: keep the named attributes, and always the id."""
    raw = request.query_params.get("fields")
    if not raw:
        return record
    wanted = {"id", *(f.strip() for f in raw.split(",") if f.strip())}
    return {k: v for k, v in record.items() if k in wanted}


async def read_body(request: Request) -> dict[str, Any]:
    """The request's attributes from a JSON, form-encoded or multipart body; 400 if unreadable."""
    raw = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    if kind == "multipart/form-data":
        head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str):
                payload = part.get_payload(decode=True)
                fields[name] = (
                    payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
                )
        return fields
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ItrpError(400, f"Problems parsing JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ItrpError(400, "Problems parsing JSON: the body must be a JSON object")
    return data


def _check_enum(data: dict[str, Any], name: str, label: str, blank_ok: bool) -> list[list[str]]:
    if name not in data:
        return []
    value = data[name]
    if value is None or value == "":
        return [] if blank_ok else [[name, f"{label} can't be blank"]]
    if value not in vocab.ENUM_IDS[f"request.{name}"]:
        return [[name, f"{label} is not included in the list"]]
    return []


def validate(data: dict[str, Any], creating: bool) -> list[list[str]]:
    """The [field, message] tuples of a request create or update (empty when valid)."""
    errors: list[list[str]] = []
    if creating or "subject" in data:
        subject = data.get("subject")
        if not isinstance(subject, str) or not subject.strip():
            errors.append(["subject", "Subject can't be blank"])
        elif len(subject) > SUBJECT_MAX:
            errors.append(["subject", f"Subject is too long (maximum is {SUBJECT_MAX} characters)"])
    if creating and not data.get("category"):
        errors.append(["category", "Category can't be blank"])
    else:
        errors += _check_enum(data, "category", "Category", blank_ok=False)
    errors += _check_enum(data, "impact", "Impact", blank_ok=True)
    errors += _check_enum(data, "status", "Status", blank_ok=False)
    return errors


def _apply(req: Req, data: dict[str, Any], now: float) -> None:
    if "subject" in data:
        req.subject = str(data["subject"]).strip()
    if "category" in data:
        req.category = str(data["category"])
    if "impact" in data:
        req.impact = str(data["impact"]) if data["impact"] else None
    if "status" in data:
        req.status = str(data["status"])
    req.updated = now


def build_routes(ctx: EmulatorContext, store: Store) -> list[Route]:
    """Every route of the clean ITRP API, under the profile's base path."""
    base = base_path(ctx)

    def lookup(request: Request) -> Req:
        req = store.requests.get(int(request.path_params["id"]))
        if req is None:
            raise ItrpError(404)
        if req.account not in TRUSTED:
            raise ItrpError(403)
        return req

    async def root(request: Request) -> Response:
        return json_response(ctx, {})

    async def me(request: Request) -> Response:
        who = caller(request)
        body = store.render_person(who.person, who.account)
        if who.scheme == "password-basic":
            body["api_token"] = store.token_of(who.person.id)
        return json_response(ctx, shape(request, body))

    async def reset_api_token(request: Request) -> Response:
        who = caller(request)
        body = store.render_person(who.person, who.account)
        if ctx.fault(F_RESET_SAME_TOKEN):
            body["api_token"] = store.token_of(who.person.id)
        elif ctx.fault(F_RESET_INACTIVE):
            body["api_token"] = store.new_token()
        else:
            keep = ctx.fault(F_RESET_KEEPS_OLD)
            body["api_token"] = store.reset_token(who.person.id, keep_old=keep)
        return json_response(ctx, body)

    async def enums(request: Request) -> Response:
        return json_response(ctx, vocab.enums(caller(request).language))

    async def list_requests(request: Request) -> Response:
        who = caller(request)
        page, headers = paginate(ctx, request, store.requests_of(who.account))
        body = [shape(request, store.render_request(q, who.account)) for q in page]
        return json_response(ctx, body, headers=headers)

    async def create_request(request: Request) -> Response:
        who = caller(request)
        data = await read_body(request)
        if ctx.fault(F_CREATE_DEFAULTS) and not data.get("category"):
            data = {**data, "category": "other"}
        errors = validate(data, creating=True)
        if errors:
            raise ItrpError(422, errors=errors)
        now = ctx.clock.now()
        req = Req(
            store.next_request_id,
            "",
            "",
            None,
            "assigned",
            who.person.id,
            who.person.id,
            who.account.id,
            now,
            now,
        )
        _apply(req, {"status": "assigned", **data}, now)
        store.requests[req.id] = req
        store.next_request_id += 1
        location = f"{origin(request)}{base}/requests/{req.id}"
        return json_response(
            ctx, store.render_request(req, who.account), 201, {"Location": location}
        )

    async def get_request(request: Request) -> Response:
        body = store.render_request(lookup(request), caller(request).account)
        return json_response(ctx, shape(request, body))

    async def update_request(request: Request) -> Response:
        if request.method == "PUT" and ctx.fault(F_PUT_REJECTED):
            raise ItrpError(405)
        req = lookup(request)
        data = await read_body(request)
        errors = validate(data, creating=False)
        if errors:
            raise ItrpError(422, errors=errors)
        if request.method == "PATCH" and ctx.fault(F_PATCH_RESETS) and "category" not in data:
            data = {**data, "category": "other"}
        if not (request.method == "PUT" and ctx.fault(F_PUT_IGNORED)):
            _apply(req, data, ctx.clock.now())
        return json_response(ctx, store.render_request(req, caller(request).account))

    async def delete_request(request: Request) -> Response:
        del store.requests[lookup(request).id]
        return json_response(ctx, None, 204)

    async def list_people(request: Request) -> Response:
        who = caller(request)
        page, headers = paginate(ctx, request, store.people_of(who.account))
        body = [shape(request, store.render_person(p, who.account)) for p in page]
        return json_response(ctx, body, headers=headers)

    async def get_person(request: Request) -> Response:
        person = store.people.get(int(request.path_params["id"]))
        if person is None:
            raise ItrpError(404)
        if person.account not in TRUSTED:
            raise ItrpError(403)
        body = store.render_person(person, caller(request).account)
        return json_response(ctx, shape(request, body))

    async def list_sites(request: Request) -> Response:
        who = caller(request)
        page, headers = paginate(ctx, request, store.sites_of(who.account))
        body = [shape(request, store.render_site(s, who.account)) for s in page]
        return json_response(ctx, body, headers=headers)

    async def get_site(request: Request) -> Response:
        site = store.sites.get(int(request.path_params["id"]))
        if site is None:
            raise ItrpError(404)
        if site.account not in TRUSTED:
            raise ItrpError(403)
        body = store.render_site(site, caller(request).account)
        return json_response(ctx, shape(request, body))

    async def not_acceptable(request: Request) -> Response:
        raise ItrpError(406)

    return [
        Route(base or "/", root, methods=["GET"]),
        Route(f"{base}/me", me, methods=["GET"]),
        Route(f"{base}/me/reset_api_token", reset_api_token, methods=["POST"]),
        Route(f"{base}/enums", enums, methods=["GET"]),
        Route(f"{base}/requests", list_requests, methods=["GET"]),
        Route(f"{base}/requests", create_request, methods=["POST"]),
        Route(f"{base}/requests/{{id:int}}", get_request, methods=["GET"]),
        Route(f"{base}/requests/{{id:int}}", update_request, methods=["PATCH", "PUT"]),
        Route(f"{base}/requests/{{id:int}}", delete_request, methods=["DELETE"]),
        Route(f"{base}/people", list_people, methods=["GET"]),
        Route(f"{base}/people/{{id:int}}", get_person, methods=["GET"]),
        Route(f"{base}/sites", list_sites, methods=["GET"]),
        Route(f"{base}/sites/{{id:int}}", get_site, methods=["GET"]),
        Route(
            f"{base}/account/billing",
            not_acceptable,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        ),
    ]


def _routes_app(ctx: EmulatorContext, store: Store) -> Starlette:
    """The routes with JSON error answers for every failure (unknown route, method, crash)."""

    async def on_itrp_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ItrpError)
        headers = {"Allow": "GET, PATCH, DELETE"} if exc.status == 405 else None
        return error_response(ctx, exc, headers)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        status = exc.status_code if exc.status_code in (404, 405) else 400
        return error_response(ctx, ItrpError(status), dict(exc.headers or {}))

    async def on_crash(request: Request, exc: Exception) -> Response:
        return error_response(ctx, ItrpError(500))

    app = Starlette(
        routes=build_routes(ctx, store),
        exception_handlers={
            ItrpError: on_itrp_error,
            HTTPException: on_http_error,
            Exception: on_crash,
        },
    )
    app.router.redirect_slashes = False
    return app


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean ITRP app (faults are switched by ``ctx`` or wrapped by build_app)."""
    store = seed_store(ctx)
    ctx.restorers["api-tokens"] = store.restore_tokens
    return ItrpLayer(_routes_app(ctx, store), ctx, store)
