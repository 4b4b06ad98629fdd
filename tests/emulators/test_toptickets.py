"""The TopTickets emulator behaves as toptickets.txt (and PUBLIC-FACTS.md) describe."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock, build_app
from harness.emulators._kit import DATA_EPOCH, iso
from harness.emulators.toptickets import credentials
from harness.emulators.toptickets._data import AGENT_KEY, LIVE_KEY, TICKETS
from harness.profiles import load_profile
from harness.validation import default_store
from tests.emulators.conftest import ModuleEmulator, advance, client_for

VENDOR = "toptickets"
PROFILE = load_profile(VENDOR)
STORE = default_store()
ADMIN = credentials()["api_key"]
RO = credentials()["ro_api_key"]
AUTH = {"Authorization": f"Bearer {ADMIN}"}
RO_AUTH = {"Authorization": f"Bearer {RO}"}
NEW_TICKET = dict(PROFILE.features["request_bodies"]["example_create"])
EMULATOR = ModuleEmulator(VENDOR, client={"headers": AUTH})


def assert_valid(schema: str, instance: Any) -> None:
    problems = STORE.validate(schema, instance, vendor=VENDOR)
    assert not problems, [str(p) for p in problems]


def assert_json(response: httpx.Response, schema: str) -> Any:
    """The body validates against ``schema`` and the headers against headers-json."""
    headers = STORE.validate_headers("headers-json.schema.json", response.headers, vendor=VENDOR)
    assert not headers, [str(p) for p in headers]
    body = response.json()
    assert_valid(schema, body)
    return body


@pytest.fixture(scope="module")
def anon(emu: RunningEmulator) -> Iterator[httpx.Client]:
    with client_for(emu) as client:
        yield client


@pytest.fixture(scope="module")
def all_tickets(api: httpx.Client) -> list[dict[str, Any]]:
    return list(api.get("/tickets", params={"limit": 500}).json())


@pytest.fixture(scope="module")
def chatty(api: httpx.Client, all_tickets: list[dict[str, Any]]) -> str:
    """The id of an early ticket with at least three comments."""
    for ticket in all_tickets:
        if len(api.get(f"/tickets/{ticket['id']}/comments").json()) >= 3:
            return str(ticket["id"])
    raise AssertionError("no ticket has three comments")


# ---- 1. every route, every status -------------------------------------------------------
def _path(op_path: str, ticket_id: str) -> str:
    return op_path.replace("{ticket_id}", ticket_id)


@pytest.mark.parametrize("op", [o for o in PROFILE.operations if not o.write], ids=lambda o: o.id)
def test_every_read_route_answers_with_a_body_that_validates_against_its_schema(
    api: httpx.Client, chatty: str, op: Any
) -> None:
    response = api.request(op.method, _path(op.path, chatty))
    assert response.status_code == op.status
    body = assert_json(response, op.schema)
    if op.kind == "list":
        assert isinstance(body, list) and body
        for item in body:
            assert_valid(op.item_schema, item)


ERRORS: list[tuple[str, str, str, dict[str, Any], int, str]] = [
    ("no key", "GET", "/tickets", {"anonymous": True}, 401, "error"),
    ("empty key", "GET", "/tickets", {"headers": {"Authorization": "Bearer"}}, 401, "error"),
    (
        "unknown key",
        "GET",
        "/tickets",
        {"headers": {"Authorization": "Bearer tt_admin_0000000000000000invalid"}},
        401,
        "error",
    ),
    (
        "basic instead of bearer",
        "GET",
        "/tickets",
        {"headers": {"Authorization": f"Basic {ADMIN}"}},
        401,
        "error",
    ),
    (
        "read-only key writing",
        "POST",
        "/tickets",
        {"json": NEW_TICKET, "headers": RO_AUTH},
        403,
        "error",
    ),
    ("unknown ticket", "GET", f"/tickets/{uuid.uuid4()}", {}, 404, "error"),
    ("comments of an unknown ticket", "GET", f"/tickets/{uuid.uuid4()}/comments", {}, 404, "error"),
    ("unknown route", "GET", "/tickets-archive", {}, 404, "error"),
    ("trailing slash (no redirect)", "GET", "/tickets/", {}, 404, "error"),
    ("malformed ticket id", "GET", "/tickets/TKT-1001", {}, 422, "error-422"),
    ("unknown status filter", "GET", "/tickets?status=not-a-status", {}, 422, "error-422"),
    ("unknown priority filter", "GET", "/tickets?priority=critical", {}, 422, "error-422"),
    ("limit above 500", "GET", "/tickets?limit=501", {}, 422, "error-422"),
    (
        "body that is not JSON",
        "POST",
        "/tickets",
        {"content": b"{subject: nope", "headers": {**AUTH, "Content-Type": "application/json"}},
        400,
        "error",
    ),
    (
        "body with an unknown enum",
        "POST",
        "/tickets",
        {"json": dict(PROFILE.features["enums"]["probe_write"])},
        422,
        "error-422",
    ),
    ("create without a body", "POST", "/tickets", {}, 422, "error-422"),
    ("empty update", "PATCH", "/tickets/{first}", {"json": {}}, 422, "error-422"),
]


@pytest.mark.parametrize(
    ("name", "method", "path", "kwargs", "status", "schema"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_every_error_status_has_the_documented_body(
    api: httpx.Client,
    anon: httpx.Client,
    all_tickets: list[dict[str, Any]],
    name: str,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    schema: str,
) -> None:
    client = anon if kwargs.pop("anonymous", False) else api
    response = client.request(method, path.replace("{first}", all_tickets[0]["id"]), **kwargs)
    assert response.status_code == status, response.text
    body = assert_json(response, f"{schema}.schema.json")
    if status == 422:
        assert_valid("error-422.fastapi.schema.json", body)  # the reading it implements
    assert api.get("/tickets", params={"limit": 500}).json() == all_tickets  # nothing changed


def test_a_refused_key_gets_the_documented_message_and_a_bearer_challenge(
    anon: httpx.Client,
) -> None:
    for headers in ({}, {"Authorization": "Bearer tt_ro_unknown"}, {"Authorization": RO}):
        response = anon.get("/customers", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid API key"}
        assert response.headers["www-authenticate"] == "Bearer"


def test_an_undeclared_method_gets_405_with_allow_in_the_error_shape(api: httpx.Client) -> None:
    response = api.put("/tickets", json={})
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
    assert_json(response, "error.schema.json")


def test_a_server_error_is_answered_in_the_error_shape() -> None:
    from starlette.requests import Request

    from harness.emulators.toptickets._app import TopTicketsApi

    _, ctx = build_app(VENDOR)
    request = Request({"type": "http", "method": "GET", "path": "/v1/tickets", "headers": []})
    response = asyncio.run(TopTicketsApi(ctx).http_error(request, RuntimeError("boom")))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert_valid("error.schema.json", json.loads(bytes(response.body)))


# ---- 2. pagination ----------------------------------------------------------------------
def walk(api: httpx.Client, path: str, limit: int | None, **filters: str) -> list[dict[str, Any]]:
    """Every record of a list, page by page, until the documented short-page signal."""
    seen: list[dict[str, Any]] = []
    size = limit or PROFILE.pagination.default_size or 0
    while True:
        query: dict[str, Any] = {**filters, "offset": len(seen)}
        if limit is not None:
            query["limit"] = limit
        page = api.get(path, params=query)
        assert page.status_code == 200
        body = page.json()
        assert isinstance(body, list) and len(body) <= size
        seen += body
        if len(body) < size:
            return seen


def test_the_ticket_list_is_in_a_stable_created_at_then_id_order(
    all_tickets: list[dict[str, Any]],
) -> None:
    assert len(all_tickets) == TICKETS >= 250
    keys = [(t["created_at"], t["id"]) for t in all_tickets]
    assert keys == sorted(keys) and len(set(keys)) == TICKETS


@pytest.mark.parametrize("limit", [None, 50, 100, 500, 37], ids=lambda v: f"limit={v}")
def test_walking_the_pages_yields_every_ticket_once_in_order(
    api: httpx.Client, all_tickets: list[dict[str, Any]], limit: int | None
) -> None:
    assert [t["id"] for t in walk(api, "/tickets", limit)] == [t["id"] for t in all_tickets]


def test_the_default_page_starts_at_zero_and_holds_100(
    api: httpx.Client, all_tickets: list[dict[str, Any]]
) -> None:
    assert api.get("/tickets").json() == all_tickets[:100]
    assert api.get("/tickets", params={"offset": 50, "limit": 50}).json() == all_tickets[50:100]


@pytest.mark.parametrize("offset", [TICKETS, TICKETS + 1, 10**12])
def test_an_offset_at_or_past_the_end_returns_an_empty_array(
    api: httpx.Client, offset: int
) -> None:
    response = api.get("/tickets", params={"offset": offset})
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize(("path", "total"), [("/customers", 120), ("/users", 36), ("/teams", 6)])
def test_every_other_collection_pages_the_same_way(
    api: httpx.Client, path: str, total: int
) -> None:
    everything = api.get(path, params={"limit": 500}).json()
    assert len(everything) == total
    for limit in (None, 5):
        assert walk(api, path, limit) == everything


def test_a_tickets_comments_page_the_same_way(api: httpx.Client, chatty: str) -> None:
    ticket_id = chatty
    everything = api.get(f"/tickets/{ticket_id}/comments").json()
    assert len(everything) >= 3 and {c["ticket_id"] for c in everything} == {ticket_id}
    assert walk(api, f"/tickets/{ticket_id}/comments", 2) == everything


BAD_PAGING = [
    ("limit", "501"),
    ("limit", "0"),
    ("limit", "-5"),
    ("limit", "abc"),
    ("limit", "1.5"),
    ("limit", ""),
    ("offset", "-1"),
    ("offset", "x"),
    ("limit", ["10", "20"]),
]


@pytest.mark.parametrize(("name", "value"), BAD_PAGING, ids=lambda v: str(v))
def test_a_bad_paging_parameter_is_refused_with_422_naming_it(
    api: httpx.Client, name: str, value: Any
) -> None:
    for path in ("/tickets", "/customers"):
        response = api.get(path, params={name: value})
        assert response.status_code == PROFILE.pagination.bad_param_status == 422
        body = assert_json(response, "error-422.fastapi.schema.json")
        assert [p["loc"] for p in body["detail"]] == [["query", name]]


# ---- 5. vendor specifics: filters, data, auth tiers, writes -----------------------------
@pytest.mark.parametrize(
    ("name", "value"),
    [("status", s) for s in PROFILE.features["enums"]["status"]]
    + [("priority", p) for p in PROFILE.features["enums"]["priority"]],
)
def test_a_filter_returns_exactly_the_matching_tickets(
    api: httpx.Client, all_tickets: list[dict[str, Any]], name: str, value: str
) -> None:
    expected = [t for t in all_tickets if t[name] == value]
    assert expected
    assert walk(api, "/tickets", 50, **{name: value}) == expected


def test_status_and_priority_combine_with_and(
    api: httpx.Client, all_tickets: list[dict[str, Any]]
) -> None:
    got = api.get("/tickets?status=open&priority=high").json()
    assert got == [t for t in all_tickets if t["status"] == "open" and t["priority"] == "high"]
    assert got


def test_search_matches_a_substring_of_subject_or_description(
    api: httpx.Client, all_tickets: list[dict[str, Any]]
) -> None:
    got = api.get("/tickets", params={"search": "login issue", "limit": 500}).json()
    assert got and all("login issue" in t["subject"].lower() for t in got)
    needle = "eu region"
    got = api.get("/tickets", params={"search": needle, "limit": 500}).json()
    assert got == [t for t in all_tickets if needle in (t["description"] or "").lower()]
    assert api.get("/tickets", params={"search": "zz-no-such-text"}).json() == []
    narrowed = api.get("/tickets", params={"search": "login", "status": "closed"}).json()
    assert narrowed and all(t["status"] == "closed" for t in narrowed)


def test_ids_timestamps_and_display_ids_have_the_documented_forms(
    all_tickets: list[dict[str, Any]],
) -> None:
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    for ticket in all_tickets:
        assert ticket["ticket_display_id"] == f"TKT-{ticket['ticket_number']}"
        assert set(PROFILE.features["ticket_fields"]["fields"]) <= set(ticket)
        for key, value in ticket.items():
            if key.endswith("_at") or key == "due_date":
                assert value is None or stamp.match(value), (key, value)
            if key == "id" or (key.endswith("_id") and key != "ticket_display_id"):
                assert value is None or str(uuid.UUID(value)) == value
        if ticket["status"] in ("resolved", "closed"):
            assert ticket["resolved_at"]
        assert (ticket["closed_at"] is not None) == (ticket["status"] == "closed")


def test_every_seeded_record_validates_and_seeding_is_deterministic() -> None:
    from harness.emulators.toptickets._data import seed

    _, ctx = build_app(VENDOR)
    db, again = seed(ctx), seed(ctx)
    assert db == again
    collections = {
        "customer": db.customers,
        "team": db.teams,
        "user": db.users,
        "ticket": list(db.tickets.values()),
        "comment": [c for cs in db.comments.values() for c in cs],
    }
    for name, records in collections.items():
        assert records
        for record in records:
            assert_valid(f"{name}.schema.json", record)
    customers = {c["id"] for c in db.customers}
    assert all(t["customer_id"] in customers | {None} for t in db.tickets.values())
    _, other = build_app(VENDOR, seed=2)
    assert seed(other).ordered_tickets()[0]["id"] != db.ordered_tickets()[0]["id"]


def test_a_read_only_key_reads_everything_but_writes_nothing(
    api: httpx.Client, all_tickets: list[dict[str, Any]]
) -> None:
    first = all_tickets[0]["id"]
    for op in PROFILE.operations:
        path = _path(op.path, first)
        if not op.write:
            assert api.request(op.method, path, headers=RO_AUTH).status_code == 200
            continue
        body = NEW_TICKET if op.method == "POST" else {"status": "closed"}
        kwargs: dict[str, Any] = {"json": body} if op.method != "DELETE" else {}
        response = api.request(op.method, path, headers=RO_AUTH, **kwargs)
        assert response.status_code == 403
        action = "delete" if op.method == "DELETE" else "write"  # api-reference/tickets
        assert response.json() == {
            "detail": f"Insufficient permissions. Required scope: tickets:{action}"
        }
    assert api.get("/tickets", params={"limit": 500}).json() == all_tickets


# ---- writes -------------------------------------------------------------------------------
def test_create_update_and_delete_change_the_state_as_documented(
    start: Callable[..., RunningEmulator],
) -> None:
    t0 = DATA_EPOCH + 30 * 86400
    emu = start(VENDOR, clock=VirtualClock(t0, flowing=False))
    with client_for(emu, headers=AUTH) as api:
        created = api.post("/tickets", json=NEW_TICKET)
        assert created.status_code == 201
        ticket = assert_json(created, "ticket.schema.json")
        assert {k: ticket[k] for k in NEW_TICKET} == NEW_TICKET
        assert ticket["status"] == "new" and ticket["created_at"] == iso(t0)
        assert ticket["ticket_display_id"] == f"TKT-{1001 + TICKETS}"
        assert api.get(f"/tickets/{ticket['id']}").json() == ticket
        assert api.get("/tickets", params={"offset": TICKETS}).json() == [ticket]
        assert api.get(f"/tickets/{ticket['id']}/comments").json() == []

        advance(emu, 90)
        patched = api.patch(f"/tickets/{ticket['id']}", json={"status": "resolved"})
        assert patched.status_code == 200
        updated = assert_json(patched, "ticket.schema.json")
        assert updated["updated_at"] == updated["resolved_at"] == iso(t0 + 90)
        assert updated["closed_at"] is None and updated["created_at"] == iso(t0)
        reopened = api.patch(f"/tickets/{ticket['id']}", json={"status": "open"}).json()
        assert reopened["resolved_at"] is None
        refused = api.patch(f"/tickets/{ticket['id']}", json={"priority": "critical"})
        assert refused.status_code == 422
        assert api.get(f"/tickets/{ticket['id']}").json() == reopened

        deleted = api.delete(f"/tickets/{ticket['id']}")
        assert deleted.status_code == 204 and deleted.content == b""
        assert api.get(f"/tickets/{ticket['id']}").status_code == 404
        assert api.get(f"/tickets/{ticket['id']}/comments").status_code == 404
        assert api.delete(f"/tickets/{ticket['id']}").status_code == 404
        assert len(api.get("/tickets", params={"limit": 500}).json()) == TICKETS


# ---- 3. rate limits -------------------------------------------------------------------------
def test_the_read_only_key_is_limited_to_200_a_minute_and_recovers(
    start: Callable[..., RunningEmulator],
) -> None:
    minute = (int(DATA_EPOCH) // 60 + 1000) * 60
    emu = start(VENDOR, clock=VirtualClock(minute, flowing=False))
    with client_for(emu, headers=RO_AUTH) as api:
        statuses = [api.get("/teams", params={"limit": 1}).status_code for _ in range(200)]
        assert statuses == [200] * 200
        refused = api.get("/teams")
        assert refused.status_code == 429
        assert_json(refused, "error-429.schema.json")
        assert not STORE.validate_headers("headers-429.schema.json", refused.headers, vendor=VENDOR)
        assert refused.headers["retry-after"] == "60"
        assert refused.json() == {"detail": "Rate limit exceeded. Try again in 60 seconds."}
        assert api.get("/teams", headers=AUTH).status_code == 200  # limits are per key
        advance(emu, 45)
        assert api.get("/teams").headers["retry-after"] == "15"
        advance(emu, 15)
        assert api.get("/teams").status_code == 200
    assert emu.ctx.stats.as_dict()["rate_limited"] == 2


async def _hammer(app: Any, key: str, count: int) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="https://emu/v1", headers=headers
    ) as client:
        return [(await client.get("/teams?limit=1")).status_code for _ in range(count)]


@pytest.mark.parametrize(
    ("key", "limit"),
    [(ADMIN, 2000), (AGENT_KEY, 200), (LIVE_KEY, 200)],
    ids=["tt_admin_", "tt_agent_", "tt_live_"],
)
def test_each_key_tier_is_limited_at_its_documented_number(key: str, limit: int) -> None:
    app, ctx = build_app(VENDOR, clock=VirtualClock(60_000, flowing=False))
    statuses = asyncio.run(_hammer(app, key, limit + 1))
    assert statuses[:limit] == [200] * limit and statuses[limit] == 429
    ctx.clock.advance(60)
    assert asyncio.run(_hammer(app, key, 1)) == [200]


def test_a_throttled_write_is_refused_with_429_and_not_executed() -> None:
    app, ctx = build_app(
        VENDOR, clock=VirtualClock(60_000, flowing=False), options={"rate_limits": {"all": 1}}
    )

    async def go() -> tuple[int, int, list[Any]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://emu/v1", headers=AUTH
        ) as client:
            first = (await client.get("/teams")).status_code
            throttled = (await client.post("/tickets", json=NEW_TICKET)).status_code
            ctx.clock.advance(60)
            tail = (await client.get(f"/tickets?offset={TICKETS}")).json()
            return first, throttled, tail

    assert asyncio.run(go()) == (200, 429, [])


def test_the_document_reading_of_422_bodies_is_available_as_an_option() -> None:
    """TOP-ERR-422-SHAPE's strict reading: detail as one message (options)."""
    app, _ = build_app(VENDOR, options={"validation_errors": "document"})

    async def go() -> tuple[httpx.Response, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://emu/v1", headers=AUTH
        ) as client:
            refused = await client.get("/tickets?status=not-a-status&limit=900")
            return refused, (await client.get("/openapi.json")).json()

    refused, doc = asyncio.run(go())
    assert refused.status_code == 422
    assert_json(refused, "error-422.document.schema.json")
    assert refused.json()["detail"].startswith("query.status: Input should be 'new'")
    declared = doc["paths"]["/tickets"]["get"]["responses"]["422"]
    assert declared["content"]["application/json"]["schema"]["$ref"].endswith("/ValidationMessage")


def test_assumed_limits_can_be_overridden_through_options() -> None:
    app, _ = build_app(
        VENDOR, clock=VirtualClock(60_000, flowing=False), options={"rate_limits": {"all": 3}}
    )
    assert asyncio.run(_hammer(app, RO, 4)) == [200, 200, 200, 429]


# ---- OpenAPI document and docs page -------------------------------------------------------
def test_the_openapi_document_describes_exactly_the_served_operations(
    anon: httpx.Client,
) -> None:
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    response = anon.get("/openapi.json")
    assert response.status_code == 200  # no key needed
    doc = assert_json(response, "openapi.schema.json")
    assert OPENAPI_31_VALIDATOR.is_valid(doc)
    served = {(m.upper(), p) for p, item in doc["paths"].items() for m in item if m != "parameters"}
    assert served == {(o.method, o.path) for o in PROFILE.operations}
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        **doc["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    listing = {p["name"]: p["schema"] for p in doc["paths"]["/tickets"]["get"]["parameters"]}
    assert listing["limit"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}
    assert listing["offset"] == {"type": "integer", "minimum": 0, "default": 0}
    schemas = doc["components"]["schemas"]
    assert schemas["TicketStatus"]["enum"] == PROFILE.features["enums"]["status"]
    assert schemas["TicketPriority"]["enum"] == PROFILE.features["enums"]["priority"]
    for op in PROFILE.operations:
        declared = doc["paths"][op.path][op.method.lower()]["responses"]
        assert str(op.status) in declared
        assert {"401", "403", "422", "429", "500"} <= set(declared)
        assert declared["429"]["headers"]["Retry-After"]["required"] is True
    refs = re.findall(r'"\$ref": "([^"]+)"', response.text)
    assert refs and all(
        r.startswith("#/components/schemas/") and r.split("/")[-1] in schemas for r in refs
    )
    assert '"$id"' not in response.text


def test_the_docs_page_is_self_contained_html_listing_every_operation(
    emu: RunningEmulator, anon: httpx.Client
) -> None:
    response = anon.get(emu.origin + "/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    for op_id in (
        "listTickets",
        "createTicket",
        "getTicket",
        "updateTicket",
        "deleteTicket",
        "listTicketComments",
        "listCustomers",
        "listTeams",
        "listUsers",
    ):
        assert f'id="{op_id}"' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "<script src" not in html and "@import" not in html
