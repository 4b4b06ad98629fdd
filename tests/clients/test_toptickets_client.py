"""The documented example calls of TopTickets' public reference, replayed against the
emulator exactly as the pages write them, and the fields their code reads.

No published TopTickets client library was found (public code searched for "toptickets",
"api.toptickets.app", "tt_admin_"), so the client here is the reference's own examples
(curl and Python ``requests``), each cited by its page under https://toptickets.pages.dev:
getting-started/authentication, getting-started/api-keys, getting-started/rate-limits,
guides/filtering-search, guides/error-handling, api-reference/tickets, api-reference/comments,
api-reference/teams, api-reference/users.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from harness.emulators import VirtualClock, build_app
from harness.emulators.toptickets import credentials

BASE_URL = "https://api.toptickets.app/v1"  # the documented base: the emulator serves /v1
API_KEY = credentials()["api_key"]
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
TICKET_FIELDS = {
    "id", "ticket_number", "tracking_token", "ticket_display_id", "customer_id", "subject",
    "description", "status", "priority", "category", "assigned_user_id", "assigned_team_id",
    "due_date", "created_at", "updated_at", "resolved_at", "closed_at",
}  # fmt: skip


def replay(calls: Callable[[httpx.AsyncClient], Awaitable[Any]], **options: Any) -> Any:
    """Run the documented calls against a fresh in-process emulator at the documented base."""
    app, _ = build_app("toptickets", clock=VirtualClock(60_000, flowing=False), options=options)

    async def go() -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport) as client:
            return await calls(client)

    return asyncio.run(go())


def test_authentication_page_lists_tickets_with_bearer_and_json_headers() -> None:
    # getting-started/authentication: requests.get(".../v1/tickets", headers={Authorization,
    # Content-Type}); api-reference/tickets: the Ticket Object's attributes
    async def calls(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(f"{BASE_URL}/tickets", headers=HEADERS)

    response = replay(calls)
    assert response.status_code == 200
    tickets = response.json()
    assert isinstance(tickets, list) and tickets
    assert set(tickets[0]) >= TICKET_FIELDS
    assert tickets[0]["ticket_display_id"] == f"TKT-{tickets[0]['ticket_number']}"


def test_filtering_guide_examples_narrow_the_ticket_list() -> None:
    # guides/filtering-search: params={"status": "open"}, {"priority": "high"},
    # {"assigned_user_id": ...}, and ?unassigned=true ("no agent or team assigned")
    async def calls(client: httpx.AsyncClient) -> dict[str, Any]:
        url = f"{BASE_URL}/tickets"
        sample = (await client.get(url, headers=HEADERS, params={"status": "open"})).json()[0]
        return {
            "open": (await client.get(url, headers=HEADERS, params={"status": "open"})).json(),
            "high": (await client.get(url, headers=HEADERS, params={"priority": "high"})).json(),
            "agent": (
                await client.get(
                    url, headers=HEADERS, params={"assigned_user_id": sample["assigned_user_id"]}
                )
            ).json(),
            "unassigned": (await client.get(f"{url}?unassigned=true", headers=HEADERS)).json(),
            "sample": sample,
        }

    found = replay(calls)
    assert found["open"] and all(t["status"] == "open" for t in found["open"])
    assert found["high"] and all(t["priority"] == "high" for t in found["high"])
    assert found["sample"] in found["agent"]
    assert all(t["assigned_user_id"] == found["sample"]["assigned_user_id"] for t in found["agent"])
    assert found["unassigned"]
    assert all(
        t["assigned_user_id"] is None and t["assigned_team_id"] is None for t in found["unassigned"]
    )


def test_api_keys_page_checks_a_key_with_post_test() -> None:
    # getting-started/api-keys: curl -X POST ".../v1/test" -H "Authorization: Bearer ..."
    async def calls(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post(f"{BASE_URL}/test", headers={"Authorization": f"Bearer {API_KEY}"})

    body = replay(calls).json()
    assert body["success"] is True and body["message"]
    for field in (
        "key_name",
        "key_prefix",
        "scopes",
        "expires_at",
        "organization_id",
        "authenticated_at",
    ):
        assert field in body
    assert body["key_prefix"].startswith("tt_admin_")


def test_comments_teams_and_users_pages_read_bare_arrays_of_their_objects() -> None:
    # api-reference/comments: GET .../tickets/{TICKET_ID}/comments; api-reference/teams and
    # users: GET .../teams, GET .../users with only the Authorization header
    auth = {"Authorization": f"Bearer {API_KEY}"}

    async def calls(client: httpx.AsyncClient) -> dict[str, Any]:
        tickets = (await client.get(f"{BASE_URL}/tickets", headers=auth)).json()
        comments: list[Any] = []
        for ticket in tickets:
            comments = (
                await client.get(f"{BASE_URL}/tickets/{ticket['id']}/comments", headers=auth)
            ).json()
            if comments:
                break
        teams = (await client.get(f"{BASE_URL}/teams", headers=auth)).json()
        users = (await client.get(f"{BASE_URL}/users", headers=auth)).json()
        return {"comments": comments, "teams": teams, "users": users}

    found = replay(calls)
    comment = found["comments"][0]
    assert {"id", "ticket_id", "author_type", "content", "is_internal", "created_at"} <= set(
        comment
    )
    assert comment["author_type"] in ("AGENT", "CUSTOMER", "SYSTEM")
    assert {"id", "name", "description", "members", "created_at"} <= set(found["teams"][0])
    assert {"id", "email", "full_name", "role", "is_active", "created_at"} <= set(found["users"][0])


def test_error_handling_and_rate_limit_pages_read_detail_and_retry_after() -> None:
    # guides/error-handling: 401 {"detail": "Invalid API key"}, 404 {"detail": "Ticket not
    # found"}; getting-started/rate-limits: int(response.headers.get("Retry-After", 60))
    async def calls(client: httpx.AsyncClient) -> list[httpx.Response]:
        missing = "550e8400-e29b-41d4-a716-446655440000"
        answers = [
            await client.get(
                f"{BASE_URL}/tickets", headers={"Authorization": "Bearer tt_admin_abc123"}
            ),
            await client.get(f"{BASE_URL}/tickets/{missing}", headers=HEADERS),
        ]
        answers.append(await client.get(f"{BASE_URL}/tickets", headers=HEADERS))
        return answers

    unauthorized, not_found, throttled = replay(
        calls, rate_limits={"all": 1}
    )  # the 404 used the one request
    assert unauthorized.status_code == 401 and unauthorized.json() == {"detail": "Invalid API key"}
    assert not_found.status_code == 404 and not_found.json() == {"detail": "Ticket not found"}
    assert throttled.status_code == 429
    assert int(throttled.headers.get("Retry-After", 60)) > 0
    assert throttled.json()["detail"].startswith("Rate limit exceeded.")
