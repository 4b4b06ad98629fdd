"""Writes to the Turris emulator: adding agents and associations (bodies of the public
reference), their JSON and field checks, the 60-a-minute write limit beside unlimited
reads, and idempotency keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock
from tests.emulators.conftest import ModuleEmulator, advance, client_for
from tests.emulators.test_turris import (
    DEA,
    KEY,
    MILLIS_Z,
    START,
    STORE,
    ZERO_ID,
    agent_id,
    assert_error,
    bearer,
    grant,
    violations,
)

EMULATOR = ModuleEmulator("turris", frozen_at=START)
CONTACT = {
    "firstName": "Grace",
    "lastName": "Hopper",
    "email": "grace@summit.example.com",
    "isNpnRequired": False,
    "category": "agency",
    "downstreamEntityName": "Summit Test Agency",
}


@pytest.fixture(scope="module")
def auth(api: httpx.Client) -> dict[str, str]:
    return bearer(api)


@pytest.fixture(scope="module")
def home(api: httpx.Client, auth: dict[str, str]) -> str:
    found: str = api.get(DEA, headers=auth).json()["data"][2]["_id"]
    return found


@pytest.fixture
def fresh(start: Callable[..., RunningEmulator]) -> Iterator[Callable[..., Any]]:
    """A private emulator on a frozen clock, its client and a token."""
    clients: list[httpx.Client] = []

    def make(**kwargs: Any) -> tuple[RunningEmulator, httpx.Client, dict[str, str]]:
        running = start("turris", clock=VirtualClock(START, flowing=False), **kwargs)
        clients.append(client_for(running))
        return running, clients[-1], bearer(clients[-1])

    yield make
    for c in clients:
        c.close()


def test_a_created_agent_is_read_back_listed_last_and_found_by_its_association(
    api: httpx.Client, auth: dict[str, str], home: str
) -> None:
    body = {"npn": "12345678", "email": "ada@example.com", "downstreamEntityAssociationId": home}
    created = api.post("/agents", json=body, headers=auth)
    assert created.status_code == 201 and created.json()["statusCode"] == 201
    agent = created.json()["data"]
    assert violations("agent.schema.json", agent) == []
    assert agent["agent"]["npn"] == "12345678" and agent["email"] == "ada@example.com"
    assert MILLIS_Z.match(agent["agent"]["createdAt"])
    assert api.get(f"/agents/{agent_id(agent)}", headers=auth).json()["data"] == agent
    assert api.get("/agents", headers=auth).json()["data"][-1] == agent
    mine = api.get("/agents", params={"downstreamEntityAssociationId": home}, headers=auth)
    assert agent in mine.json()["data"]


def test_an_added_association_comes_with_licenses_and_compliance(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    created = api.post(f"{DEA}/add", json=CONTACT, headers=auth)
    assert created.status_code == 201, created.text
    record = created.json()["data"]
    assert violations("association.schema.json", record) == []
    assert record["downstreamEntity"]["legalName"] == "Summit Test Agency"
    path = f"{DEA}/{record['_id']}"
    assert api.get(path, headers=auth).json()["data"] == record
    assert api.get(f"{path}/licenses", headers=auth).json()["data"]
    compliance = api.get(f"{path}/policy-compliance-statuses", headers=auth).json()["data"]
    assert compliance["downstreamEntityName"] == "Summit Test Agency"
    by_email = api.get(DEA, params={"email": str(CONTACT["email"])}, headers=auth).json()["data"]
    assert [a["_id"] for a in by_email] == [record["_id"]]


def test_an_invitation_answers_an_invite_url(api: httpx.Client, auth: dict[str, str]) -> None:
    invited = api.post(f"{DEA}/invite", json={**CONTACT, "useInviteUrl": True}, headers=auth)
    assert invited.status_code == 201
    assert invited.json()["data"]["url"].startswith("https://")


def test_invalid_write_bodies_get_400_naming_the_fields(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    body = assert_error(
        api.post("/agents", json={"email": "x"}, headers=auth), 400, "invalid_input"
    )
    assert body["errorMessage"] == [
        "Field 'npn' is required",
        "Field 'email' must be an email address",
    ]
    unknown = {"npn": "1", "downstreamEntityAssociationId": ZERO_ID}
    body = assert_error(api.post("/agents", json=unknown, headers=auth), 400, "invalid_input")
    assert body["errorMessage"] == [
        "Field 'downstreamEntityAssociationId' does not match an association"
    ]
    wrong = {**CONTACT, "category": "bank", "isNpnRequired": True}
    body = assert_error(api.post(f"{DEA}/add", json=wrong, headers=auth), 400, "invalid_input")
    assert any("category" in m for m in body["errorMessage"])
    assert "Field 'downstreamEntityNpn' is required" in body["errorMessage"]
    for content in (b"{not json", b'["a"]'):
        headers = {**auth, "Content-Type": "application/json"}
        assert_error(api.post("/agents", content=content, headers=headers), 400, "invalid_input")


def test_writes_need_a_json_content_type(api: httpx.Client, auth: dict[str, str]) -> None:
    raw = b'{"npn": "77700011"}'
    for headers in ({}, {"Content-Type": "text/plain"}):
        response = api.post("/agents", content=raw, headers={**auth, **headers})
        body = assert_error(response, 400, "invalid_input")
        assert body["errorMessage"] == ["Content-Type must be application/json"]
    charset = {**auth, "Content-Type": "application/json; charset=utf-8"}
    assert api.post("/agents", content=raw, headers=charset).status_code == 201


def test_writes_allow_60_a_minute_then_429_and_reads_stay_unlimited(
    fresh: Callable[..., Any],
) -> None:
    running, c, auth = fresh()
    writes = [c.post("/agents", json={"npn": f"9000{i:04d}"}, headers=auth) for i in range(60)]
    assert {r.status_code for r in writes} == {201}
    assert [r.headers["x-ratelimit-remaining"] for r in writes[-2:]] == ["1", "0"]
    assert writes[0].headers["x-ratelimit-limit"] == "60"
    for response in (writes[0], writes[-1]):
        assert (
            STORE.validate_headers("headers-rate-limit.schema.json", response.headers, "turris")
            == []
        )
    refused = c.post("/agents", json={"npn": "1"}, headers=auth)
    body = assert_error(refused, 429, "rate_limit_exceeded")
    assert "60 requests per minute" in body["errorMessage"][0]
    assert refused.headers["x-ratelimit-reset"] == str(int(START) + 60)
    reads = [c.get(f"/agents/{ZERO_ID}", headers=auth) for _ in range(70)]
    reads += [c.get(DEA, headers=auth) for _ in range(3)]
    assert {r.status_code for r in reads} == {404, 200}
    assert not any(k.startswith("x-ratelimit") for r in reads for k in r.headers)
    assert len(c.get("/agents", headers=auth).json()["data"]) == 360 + 60
    advance(running, 60)
    assert c.post("/agents", json={"npn": "2"}, headers=auth).status_code == 201


def test_a_limit_can_be_overridden_through_options(fresh: Callable[..., Any]) -> None:
    _running, c, auth = fresh(options={"rate_limits": {"write": 2, "token": 3}})
    statuses = [c.post("/agents", json={"npn": "3"}, headers=auth).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert [grant(c).status_code for _ in range(3)] == [201, 201, 429]  # one grant in fresh()


@pytest.mark.parametrize("header", ["idempotency-key", "x-idempotency-key"])
def test_a_repeated_create_with_the_same_key_replays_the_first_result(
    fresh: Callable[..., Any], header: str
) -> None:
    running, c, auth = fresh()
    body = {"npn": "31415926"}
    first = c.post("/agents", json=body, headers={**auth, header: KEY})
    second = c.post("/agents", json=body, headers={**auth, header: KEY})
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    npns = [a["agent"]["npn"] for a in c.get("/agents", headers=auth).json()["data"]]
    assert npns.count("31415926") == 1
    other = "x-idempotency-key" if header == "idempotency-key" else "idempotency-key"
    assert c.post("/agents", json=body, headers={**auth, other: KEY}).content == first.content
    reuse = c.post("/agents", json={"npn": "27182818"}, headers={**auth, header: KEY})
    assert "already used" in assert_error(reuse, 400, "invalid_input")["errorMessage"][0]
    advance(running, 3600)
    auth = bearer(c)
    later = c.post("/agents", json=body, headers={**auth, header: KEY})
    assert later.status_code == 201 and agent_id(later.json()["data"]) != agent_id(
        first.json()["data"]
    )


def test_without_a_key_every_create_makes_a_new_record_and_a_bad_key_gets_400(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    body = {"npn": "16180339"}
    ids = {agent_id(api.post("/agents", json=body, headers=auth).json()["data"]) for _ in range(2)}
    assert len(ids) == 2
    bad = api.post("/agents", json=body, headers={**auth, "idempotency-key": "not-a-uuid"})
    assert_error(bad, 400, "invalid_input")
