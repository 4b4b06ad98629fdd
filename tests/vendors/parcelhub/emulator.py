"""The ParcelHub emulator (a made-up vendor, document.txt beside this file): one module, as
a vendor added from outside the harness brings it (``FAULTS``, ``credentials``,
``create_app``), built on the harness's shared emulator kit only.

Routes, under ``/v2``::

    POST /oauth/token         {client_id, client_secret} -> 200 {data: {access_token, ...}}
    GET  /parcels | /depots   a page of records under data; page/per_page and a Link header
    GET  /parcels/{id} | /depots/{id}   one record under data; 404 when unknown

Every call (the token endpoint included) counts against 60 a minute per client address and
every answer reports X-RateLimit-Limit/-Remaining; the 61st call gets 429 with Retry-After.
Tokens are opaque, live 900 s on the virtual clock and are then refused with 401
``token_expired``. Errors are ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Scope

from harness.emulators._base import EmulatorContext
from harness.emulators._faults import (
    Fault,
    drop_header,
    every_nth,
    json_field,
    off_by,
    on_errors,
    on_operation,
    on_request_header,
    on_status,
    replace_header,
    rewrite_json,
    set_header,
    set_status,
)
from harness.emulators._kit import iso, json_response, past_times, read_json, rng

CLIENT_ID = "parcelhub-harness"
CLIENT_SECRET = "ph-secret-5f1e88b5b8f1c800"  # a made-up credential of a made-up vendor
LIFETIME = 900
STATUSES = ("created", "in_transit", "delivered", "returned")
CITIES = ("Amsterdam", "Utrecht", "Rotterdam", "Eindhoven", "Groningen", "Delft")

# switch faults the app consults
F_NEXT_ON_LAST = "next-on-last-page"
F_TOKEN_OUTLIVES = "token-outlives-lifetime"
F_EXPIRED_403 = "expired-token-403"
F_PAGE_OVERLAP = "page-overlap"
F_UNKNOWN_DEPOT_200 = "unknown-depot-200"
F_NO_LIMIT = "limit-never-enforced"
F_DEFAULT_40 = "default-page-size-40"
F_NO_CAP = "per-page-not-capped"


def credentials() -> dict[str, str]:
    """The target file's credential keys (the profile's [[auth]] credentials)."""
    return {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


# ---------------------------------------------------------------- data


def _parcels(ctx: EmulatorContext) -> list[dict[str, Any]]:
    r = rng(ctx, "parcels")
    times = past_times(r, 120)  # more than the maximum page size
    records = [
        {
            "id": f"pcl_{r.getrandbits(48):012x}",
            "tracking_number": f"PH{r.randrange(10**8, 10**9)}NL",
            "status": r.choice(STATUSES),
            "weight_grams": r.randrange(50, 30000),
            "depot_id": f"dep_{r.randrange(1, 13):02d}",
            "created_at": iso(ts),
        }
        for ts in times
    ]
    return records[::-1]  # newest first


def _depots() -> list[dict[str, Any]]:
    return [
        {"id": f"dep_{n:02d}", "name": f"Depot {n}", "city": CITIES[n % len(CITIES)]}
        for n in range(1, 13)
    ]


@dataclass
class State:
    ctx: EmulatorContext
    base: str
    collections: dict[str, list[dict[str, Any]]]
    tokens_rng: random.Random
    tokens: dict[str, float] = field(default_factory=dict)  # token -> issued at


class Refusal(Exception):
    """An error answer: status, code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# ---------------------------------------------------------------- auth and paging


def _grant(state: State, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Refusal(400, "invalid_request", "The body must be a JSON object")
    missing = [k for k in ("client_id", "client_secret") if not body.get(k)]
    if missing:
        raise Refusal(400, "invalid_request", f"Missing {', '.join(missing)}")
    if (body["client_id"], body["client_secret"]) != (CLIENT_ID, CLIENT_SECRET):
        raise Refusal(401, "unauthorized", "Unknown client id or secret")
    token = f"ph_{state.tokens_rng.getrandbits(160):040x}"
    state.tokens[token] = state.ctx.clock.now()
    return {"access_token": token, "token_type": "Bearer", "expires_in": LIFETIME}


def _authenticate(state: State, request: Request) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refusal(401, "unauthorized", "Send Authorization: Bearer <access token>")
    issued = state.tokens.get(token.strip())
    if issued is None:
        raise Refusal(401, "unauthorized", "Unknown access token")
    ctx = state.ctx
    lifetime = LIFETIME * 2 if ctx.fault(F_TOKEN_OUTLIVES) else LIFETIME
    if ctx.clock.now() >= issued + lifetime:
        status = 403 if ctx.fault(F_EXPIRED_403) else 401
        raise Refusal(status, "token_expired", "The access token has expired; ask for a new one")


def _number(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise Refusal(400, "invalid_request", f"Parameter '{name}' must be a whole number >= 1")
    return int(raw)


def _page(state: State, request: Request, records: list[dict[str, Any]]) -> Response:
    pagination = state.ctx.profile.pagination
    default = 40 if state.ctx.fault(F_DEFAULT_40) else pagination.default_size or 25
    size = _number(request, "per_page", default)
    if not state.ctx.fault(F_NO_CAP):
        size = min(size, pagination.max_size or size)
    page = _number(request, "page", 1)
    pages = max(1, math.ceil(len(records) / size))
    start = (page - 1) * size
    if page > 1 and state.ctx.fault(F_PAGE_OVERLAP):
        start -= 1  # each later page repeats the last record of the page before
    rels = [("first", 1)]
    if page > 1:
        rels.append(("prev", min(page - 1, pages)))
    if page < pages or (page == pages and state.ctx.fault(F_NEXT_ON_LAST)):
        rels.append(("next", page + 1))
    rels.append(("last", pages))
    url = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
    link = ", ".join(
        f'<{url}?{urlencode({"page": n, "per_page": size})}>; rel="{rel}"' for rel, n in rels
    )
    return json_response(state.ctx, {"data": records[start : start + size]}, headers={"Link": link})


# ---------------------------------------------------------------- dispatch


async def _answer(state: State, request: Request) -> Response:
    path = request.url.path.rstrip("/")
    if not path.startswith(state.base + "/"):
        raise Refusal(404, "not_found", f"Nothing at {request.url.path}")
    parts = path[len(state.base) + 1 :].split("/")
    if parts == ["oauth", "token"] and request.method == "POST":
        body, problem = await read_json(request)
        if problem:
            raise Refusal(400, "invalid_request", problem)
        return json_response(state.ctx, {"data": _grant(state, body)})
    _authenticate(state, request)
    records = state.collections.get(parts[0]) if request.method == "GET" else None
    if records is None or len(parts) > 2:
        raise Refusal(404, "not_found", f"Nothing at {request.method} {request.url.path}")
    if len(parts) == 1:
        return _page(state, request, records)
    found = next((r for r in records if r["id"] == parts[1]), None)
    if found is None and parts[0] == "depots" and state.ctx.fault(F_UNKNOWN_DEPOT_200):
        return json_response(state.ctx, {"data": None})
    if found is None:
        raise Refusal(404, "not_found", f"No {parts[0][:-1]} with id {parts[1]}")
    return json_response(state.ctx, {"data": found})


def _handler(state: State) -> Any:
    async def handle(request: Request) -> Response:
        ctx = state.ctx
        rule = ctx.profile.rate_limit.rule_for("all")
        assert rule is not None
        decision = ctx.limiter_for(rule).hit(request.client.host if request.client else "-")
        headers = {
            "X-RateLimit-Limit": str(decision.limit),
            "X-RateLimit-Remaining": str(decision.remaining),
        }
        try:
            if not decision.allowed and not ctx.fault(F_NO_LIMIT):
                headers["Retry-After"] = str(decision.retry_after)
                raise Refusal(429, "rate_limited", "More than 60 calls this minute")
            response = await _answer(state, request)
        except Refusal as refused:
            body = {"error": {"code": refused.code, "message": refused.message}}
            return json_response(ctx, body, refused.status, headers)
        response.headers.update(headers)
        return response

    return handle


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean ParcelHub app (faults are switched by ``ctx`` or wrapped by build_app)."""
    state = State(
        ctx,
        urlsplit(ctx.profile.base_url).path.rstrip("/"),
        {"parcels": _parcels(ctx), "depots": _depots()},
        rng(ctx, "tokens"),
    )
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
    return Starlette(routes=[Route("/{path:path}", _handler(state), methods=methods)])


# ---------------------------------------------------------------- faults


def _unwrapped(body: Any, scope: Scope, status: int) -> Any:
    return body["data"] if isinstance(body, dict) and "data" in body else body


def _relative_links(scope: Scope, status: int, old: str | None) -> str | None:
    return None if old is None else re.sub(r"<https?://[^/>]+", "<", old)


def _bare_json(scope: Scope, status: int, old: str | None) -> str | None:
    return None if old is None else old.split(";")[0]


def _without_message(body: Any, scope: Scope, status: int) -> Any:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return {"error": {k: v for k, v in error.items() if k != "message"}}
    return body


FAULTS: tuple[Fault, ...] = (
    Fault(
        "anonymous-parcels-403",
        "PH-AUTH-401",
        "a parcels call without Authorization is refused with 403, not 401",
        set_status(
            lambda status, scope: 403 if status == 401 else status,
            when=on_request_header("Authorization", present=False)
            & on_operation("GET", "/v2/parcels"),
        ),
    ),
    Fault(
        "token-grant-201",
        "PH-TOKEN-GRANT",
        "the token endpoint answers 201, not the documented 200",
        set_status(
            lambda status, scope: 201 if status == 200 else status,
            when=on_operation("POST", "/v2/oauth/token"),
        ),
    ),
    Fault(F_NEXT_ON_LAST, "PH-PAGE-LINK", "the last page of a collection links rel=next"),
    Fault(
        "link-dropped-one-in-two",
        "PH-PAGE-LINK",
        "every other parcels page comes without its Link header",
        drop_header("Link", when=every_nth(2, on_operation("GET", "/v2/parcels"))),
    ),
    Fault(F_TOKEN_OUTLIVES, "PH-TOKEN-LIFETIME", "tokens are honoured for twice their lifetime"),
    Fault(F_EXPIRED_403, "PH-TOKEN-EXPIRED-401", "an expired token is refused with 403"),
    Fault(F_PAGE_OVERLAP, "PH-PAGE-PARAMS", "each later page repeats the last record before it"),
    Fault(
        F_UNKNOWN_DEPOT_200,
        "PH-ERR-404",
        "an unknown depot id answers 200 with data null (parcels stay right)",
        kind="one-operation",
    ),
    Fault(
        "depot-unwrapped",
        "PH-ENV-DATA",
        "one depot comes bare, not under data (collections stay wrapped)",
        rewrite_json(_unwrapped, when=on_operation("GET", "/v2/depots/{id}") & on_status(200)),
    ),
    Fault(
        "error-message-dropped-on-404",
        "PH-ERR-BODY",
        "404 error objects lack their message (other errors keep it)",
        rewrite_json(_without_message, when=on_status(404)),
    ),
    Fault(
        "remaining-skips-one-in-two",
        "PH-RL-HEADERS",
        "every other parcels answer reports one call fewer left than it has",
        replace_header(
            "X-RateLimit-Remaining",
            off_by(-1),
            when=every_nth(2, on_operation("GET", "/v2/parcels")),
        ),
    ),
    Fault(
        "retry-after-missing",
        "PH-RL-RETRY-AFTER",
        "a 429 comes without Retry-After",
        drop_header("Retry-After", when=on_status(429)),
    ),
    Fault(F_NO_LIMIT, "PH-RL-LIMIT", "calls over the limit are served (remaining stays 0)"),
    Fault(
        "rate-limit-code-renamed",
        "PH-RL-429",
        "a 429 names the code too_many_requests, not rate_limited",
        json_field("code", lambda code: "too_many_requests", when=on_status(429)),
    ),
    Fault(F_DEFAULT_40, "PH-PAGE-DEFAULT-SIZE", "a page without per_page holds 40 records"),
    Fault(F_NO_CAP, "PH-PAGE-MAX", "per_page above 100 is served in full"),
    Fault(
        "relative-link-urls",
        "PH-PAGE-ABSOLUTE",
        "the Link header's URLs are relative to the host",
        set_header("Link", _relative_links),
    ),
    Fault(
        "depot-ids-renamed-in-parcels",
        "PH-ENV-IDS",
        "parcel lists name depots depot-01, not dep_01 (single parcels stay right)",
        json_field(
            "depot_id",
            lambda value: str(value).replace("dep_", "depot-"),
            when=on_operation("GET", "/v2/parcels"),
        ),
    ),
    Fault(
        "charset-missing-on-errors",
        "PH-TR-JSON",
        "error answers declare application/json without charset=utf-8",
        set_header("content-type", _bare_json, when=on_errors),
    ),
)
