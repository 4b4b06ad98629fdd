"""The TopTickets emulator follows the public reference (toptickets.pages.dev) where it adds
to toptickets.txt: tracking tokens, the five extra ticket filters, the POST /v1/test key
check, read-only keys that expire after 72 hours, and the delete scope."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import httpx

from harness.emulators import VirtualClock, build_app
from harness.emulators.toptickets import credentials
from harness.validation import default_store

VENDOR = "toptickets"
ADMIN = {"Authorization": f"Bearer {credentials()['api_key']}"}
RO = {"Authorization": f"Bearer {credentials()['ro_api_key']}"}
HOURS = 3600
UUID = re.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Calls = Callable[[httpx.AsyncClient], Any]


def run(
    calls: Calls, *, options: dict[str, Any] | None = None, clock: VirtualClock | None = None
) -> Any:
    """``calls(client)`` against a fresh in-process emulator (admin key by default)."""
    app, _ = build_app(VENDOR, clock=clock or VirtualClock(60_000, flowing=False), options=options)

    async def go() -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://emu/v1", headers=ADMIN
        ) as client:
            return await calls(client) if asyncio.iscoroutinefunction(calls) else calls(client)

    return asyncio.run(go())


async def _tickets(client: httpx.AsyncClient, **params: Any) -> Any:
    response = await client.get("/tickets", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_every_ticket_has_a_uuid_tracking_token_of_its_own() -> None:
    tickets = run(_tickets)
    tokens = {t["tracking_token"] for t in tickets}
    assert len(tokens) == len(tickets)
    assert all(UUID.fullmatch(token) for token in tokens)


def test_unassigned_true_returns_only_tickets_with_neither_agent_nor_team() -> None:
    async def calls(client: httpx.AsyncClient) -> tuple[Any, Any, Any]:
        return (
            await _tickets(client),
            await _tickets(client, unassigned="true"),
            await _tickets(client, unassigned="false"),
        )

    everything, unassigned, not_asked = run(calls)
    expected = [
        t for t in everything if t["assigned_user_id"] is None and t["assigned_team_id"] is None
    ]
    assert unassigned == expected and 0 < len(unassigned) < len(everything)
    assert not_asked == everything


def test_the_reference_filters_match_exactly_and_combine_with_and() -> None:
    async def calls(client: httpx.AsyncClient) -> dict[str, Any]:
        everything = await _tickets(client)
        sample = next(t for t in everything if t["assigned_user_id"] and t["category"])
        found = {"all": everything, "sample": sample}
        for name in ("assigned_user_id", "assigned_team_id", "customer_id", "category"):
            found[name] = await _tickets(client, **{name: sample[name]})
        found["both"] = await _tickets(client, category=sample["category"], status=sample["status"])
        return found

    found = run(calls)
    for name in ("assigned_user_id", "assigned_team_id", "customer_id", "category"):
        expected = [t for t in found["all"] if t[name] == found["sample"][name]]
        assert found[name] == expected and found["sample"] in found[name]
    assert found["both"] == [
        t for t in found["category"] if t["status"] == found["sample"]["status"]
    ]


def test_a_malformed_uuid_or_boolean_filter_is_refused_with_422_naming_it() -> None:
    async def calls(client: httpx.AsyncClient) -> list[httpx.Response]:
        return [
            await client.get("/tickets", params={"customer_id": "not-a-uuid"}),
            await client.get("/tickets", params={"unassigned": "maybe"}),
        ]

    bad_uuid, bad_bool = run(calls)
    assert bad_uuid.status_code == bad_bool.status_code == 422
    assert bad_uuid.json()["detail"][0]["loc"] == ["query", "customer_id"]
    assert bad_bool.json()["detail"][0]["type"] == "bool_parsing"


def test_post_test_describes_the_calling_key_and_its_expiry() -> None:
    async def calls(
        client: httpx.AsyncClient,
    ) -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        return (
            await client.post("/test"),
            await client.post("/test", headers=RO),
            await client.post("/test", headers={"Authorization": "Bearer tt_admin_nope"}),
        )

    admin, ro, unknown = run(calls)
    assert admin.status_code == ro.status_code == 200
    for response in (admin, ro):
        assert not default_store().validate("key-test.schema.json", response.json(), vendor=VENDOR)
    assert admin.json()["key_prefix"] == credentials()["api_key"][:17]
    assert admin.json()["expires_at"] is None and "tickets:delete" in admin.json()["scopes"]
    assert ro.json()["expires_at"] is not None
    assert not any(s.endswith((":write", ":delete")) for s in ro.json()["scopes"])
    assert unknown.status_code == 401


def test_a_read_only_key_stops_working_72_hours_after_it_was_issued() -> None:
    clock = VirtualClock(60_000, flowing=False)

    async def calls(client: httpx.AsyncClient) -> list[int]:
        statuses = [(await client.get("/teams", headers=RO)).status_code]
        clock.advance(72 * HOURS - 1)
        statuses.append((await client.get("/teams", headers=RO)).status_code)
        clock.advance(1)
        statuses.append((await client.get("/teams", headers=RO)).status_code)
        statuses.append((await client.post("/test", headers=RO)).status_code)
        statuses.append((await client.get("/teams")).status_code)  # admin keys do not expire
        return statuses

    assert run(calls, clock=clock) == [200, 200, 401, 401, 200]


def test_strict_mode_answers_validation_errors_in_the_documents_form() -> None:
    async def calls(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/tickets", params={"limit": "x"})

    lenient, strict = run(calls), run(calls, options={"strict": True})
    assert isinstance(lenient.json()["detail"], list)
    assert strict.status_code == 422 and isinstance(strict.json()["detail"], str)
