"""The Turris emulator's list filters (facts.toml: filter.*) and error answers: unknown
and malformed ids, unknown routes and methods, mutually exclusive filters, server errors."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from harness.emulators import VirtualClock, build_app
from tests.emulators.conftest import ModuleEmulator
from tests.emulators.test_turris import (
    DEA,
    START,
    ZERO_ID,
    agent_id,
    assert_error,
    bearer,
)

EMULATOR = ModuleEmulator("turris", frozen_at=START)


@pytest.fixture(scope="module")
def auth(api: httpx.Client) -> dict[str, str]:
    return bearer(api)


def listed(api: httpx.Client, auth: dict[str, str], path: str, **query: str) -> list[Any]:
    response = api.get(path, params=query, headers=auth)
    assert response.status_code == 200, response.text
    found: list[Any] = response.json()["data"]
    return found


@pytest.fixture(scope="module")
def association(api: httpx.Client, auth: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = listed(api, auth, DEA)[11]
    return found


@pytest.fixture(scope="module")
def licenses(
    api: httpx.Client, auth: dict[str, str], association: dict[str, Any]
) -> list[dict[str, Any]]:
    return listed(api, auth, f"{DEA}/{association['_id']}/licenses")


# ---------------------------------------------------------------- filters


def test_associations_filter_by_npn_and_by_license(
    api: httpx.Client,
    auth: dict[str, str],
    association: dict[str, Any],
    licenses: list[dict[str, Any]],
) -> None:
    npn = association["downstreamEntity"]["npn"]
    by_npn = listed(api, auth, DEA, downstreamEntityNpn=npn)
    assert association in by_npn and {a["downstreamEntity"]["npn"] for a in by_npn} == {npn}
    lic = licenses[0]
    by_license = listed(
        api, auth, DEA, licenseNumber=lic["licenseNumber"], stateCode=lic["stateCode"]
    )
    assert [a["_id"] for a in by_license] == [association["_id"]]
    assert listed(api, auth, DEA, downstreamEntityNpn="0") == []


def test_agents_filter_by_association_npn_and_license(
    api: httpx.Client,
    auth: dict[str, str],
    association: dict[str, Any],
    licenses: list[dict[str, Any]],
) -> None:
    everyone = listed(api, auth, "/agents")
    mine = listed(api, auth, "/agents", downstreamEntityAssociationId=association["_id"])
    assert mine and len(mine) < len(everyone) and all(a in everyone for a in mine)
    one = everyone[42]
    assert listed(api, auth, "/agents", npn=one["agent"]["npn"]) == [one]
    lic = licenses[0]
    by_license = listed(
        api, auth, "/agents", licenseNumber=lic["licenseNumber"], stateCode=lic["stateCode"]
    )
    assert sorted(map(agent_id, by_license)) == sorted(map(agent_id, mine))


def test_licenses_filter_by_state_and_status(
    api: httpx.Client,
    auth: dict[str, str],
    association: dict[str, Any],
    licenses: list[dict[str, Any]],
) -> None:
    path = f"{DEA}/{association['_id']}/licenses"
    state = licenses[0]["stateCode"]
    assert listed(api, auth, path, stateCode=state) == [
        lic for lic in licenses if lic["stateCode"] == state
    ]
    for status in ("active", "inactive"):
        assert listed(api, auth, path, status=status) == [
            lic for lic in licenses if lic["status"] == status
        ]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (DEA, {"downstreamEntityNpn": "1", "email": "a@example.com"}),
        (DEA, {"licenseNumber": "CA123456"}),
        ("/agents", {"npn": "1", "licenseNumber": "CA1", "stateCode": "CA"}),
        ("/agents", {"stateCode": "CA"}),
    ],
)
def test_exclusive_or_incomplete_filters_get_400(
    api: httpx.Client, auth: dict[str, str], path: str, query: dict[str, str]
) -> None:
    assert_error(api.get(path, params=query, headers=auth), 400, "invalid_input")


def test_the_sign_in_url_needs_an_email(
    api: httpx.Client, auth: dict[str, str], association: dict[str, Any]
) -> None:
    path = f"{DEA}/{association['_id']}/sign-in-url"
    link = api.get(path, params={"email": "ana@example.com"}, headers=auth).json()["data"]
    assert link["signInUrl"].startswith("https://") and association["_id"] in link["signInUrl"]
    body = assert_error(api.get(path, headers=auth), 400, "invalid_input")
    assert "email" in body["errorMessage"][0]


# ---------------------------------------------------------------- errors


def test_unknown_ids_get_404_and_malformed_ids_get_400(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    for path in (f"{DEA}/{ZERO_ID}", f"{DEA}/{ZERO_ID}/licenses", f"/agents/{ZERO_ID}"):
        assert_error(api.get(path, headers=auth), 404, "not_found")
    for path in (f"{DEA}/not-an-object-id", "/agents/ABCDEF0123456789abcdef01"):
        body = assert_error(api.get(path, headers=auth), 400, "invalid_input")
        assert "ObjectId" in body["errorMessage"][0]


def test_unknown_routes_and_methods_get_404_not_found(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    for path in ("/agencies", "/policies", "/elsewhere"):
        assert_error(api.get(path, headers=auth), 404, "not_found")
    body = assert_error(api.delete("/agents", headers=auth), 404, "not_found")
    assert body["errorMessage"] == ["Cannot DELETE /v1/agents"]
    assert_error(api.put("/auth/jwt", json={}), 404, "not_found")


def test_a_trailing_slash_reaches_the_same_route(api: httpx.Client, auth: dict[str, str]) -> None:
    assert api.get("/agents/", headers=auth).json()["data"] == listed(api, auth, "/agents")


async def _explode(*_: Any) -> None:
    raise RuntimeError("boom")


def test_a_server_error_has_the_documented_500_body() -> None:
    app, _ctx = build_app("turris", clock=VirtualClock(START, flowing=False))
    inner: Any = app
    while not hasattr(inner, "router"):
        inner = inner.app
    inner.router.routes[0].app = _explode

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="https://emu/v1") as c:
            return await c.post("/auth/jwt", json={})

    assert_error(asyncio.run(go()), 500, "internal_error")
