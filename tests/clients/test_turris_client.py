"""The public reference's documented requests work unchanged against the Turris emulator.

Turris publishes no client library; its public reference (docs.turrisfi.com, API reference
v1, the pages facts.toml cites) documents each call as a cURL example. ``ReferenceCalls``
replays those examples request for request: the method, the path under
``https://public.api.live.turrisfi.com`` (here the emulator's origin), the headers the
example sets (``Content-Type: application/json`` on POSTs; ``Authorization: Bearer <token>``
as the Authentication guide's "Step 3: Use the Token" adds to every protected call) and the
example JSON bodies. The assertions are on the fields a client of those pages reads: the
grant's ``data.accessToken`` and ``expiresIn``, and the record fields each page's response
example shows under ``data`` beside ``requestId`` and ``timestamp``.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock, make_tls, run_emulator
from harness.emulators.turris import credentials

EPOCH = 1_750_000_020
REFERENCE = "https://docs.turrisfi.com/api-reference/v1"  # {REFERENCE} in the comments


class ReferenceCalls:
    """The cURL examples of the public reference, one method per page."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.token = ""

    def _get(self, path: str, **query: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"}
        response = self.http.get(f"/v1{path}", params=query or None, headers=headers)
        assert response.status_code == 200, (path, response.text)
        body: dict[str, Any] = response.json()
        return body

    # {REFERENCE}/authentication/get-oauth-token: POST /v1/auth/jwt, Content-Type JSON,
    # body {"clientId": ..., "clientSecret": ...}
    def get_oauth_token(self, client_id: str, client_secret: str) -> dict[str, Any]:
        response = self.http.post(
            "/v1/auth/jwt",
            headers={"Content-Type": "application/json"},
            json={"clientId": client_id, "clientSecret": client_secret},
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        self.token = body["data"]["accessToken"]
        return body

    # https://docs.turrisfi.com/authentication, "Test Your Token"
    def test_oauth(self) -> dict[str, Any]:
        return self._get("/auth/test-oauth")

    # {REFERENCE}/downstream-entity-associations/list-associations (filters optional)
    def list_associations(self, **query: str) -> dict[str, Any]:
        return self._get("/downstream-entity-associations", **query)

    # {REFERENCE}/downstream-entity-associations/get-association
    def get_association(self, association_id: str) -> dict[str, Any]:
        return self._get(f"/downstream-entity-associations/{association_id}")

    # {REFERENCE}/licenses/downstream-entity-licenses (filters stateCode, status)
    def association_licenses(self, association_id: str, **query: str) -> dict[str, Any]:
        return self._get(f"/downstream-entity-associations/{association_id}/licenses", **query)

    # {REFERENCE}/eo-cyber-compliance/get-policy-compliance
    def policy_compliance(self, association_id: str) -> dict[str, Any]:
        path = f"/downstream-entity-associations/{association_id}/policy-compliance-statuses"
        return self._get(path)

    # {REFERENCE}/agents/list-agents: downstreamEntityAssociationId, npn, licenseNumber+stateCode
    def list_agents(self, **query: str) -> dict[str, Any]:
        return self._get("/agents", **query)

    # {REFERENCE}/agents/get-agent
    def get_agent(self, agent_id: str) -> dict[str, Any]:
        return self._get(f"/agents/{agent_id}")

    # {REFERENCE}/agents/create-agent: POST /v1/agents, Content-Type JSON, the example body
    # {"npn": "12345678", "email": "agent@example.com", "downstreamEntityAssociationId": ...}
    def create_agent(self, association_id: str) -> httpx.Response:
        return self.http.post(
            "/v1/agents",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            json={
                "npn": "12345678",
                "email": "agent@example.com",
                "downstreamEntityAssociationId": association_id,
            },
        )


def assert_enveloped(body: dict[str, Any]) -> Any:
    """The reference's response examples: data beside requestId (dev-...) and timestamp."""
    assert body["requestId"].startswith("dev-") and body["timestamp"].endswith("Z")
    return body["data"]


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    tls = make_tls(Path(tmp_path_factory.mktemp("tls")))
    with run_emulator("turris", tls=tls, clock=VirtualClock(EPOCH, flowing=False)) as emu:
        yield emu


@pytest.fixture
def calls(emulator: RunningEmulator) -> Iterator[ReferenceCalls]:
    context = ssl.create_default_context(cafile=str(emulator.tls.ca))
    with httpx.Client(base_url=emulator.origin, verify=context, timeout=10) as http:
        client = ReferenceCalls(http)
        creds = credentials()
        client.get_oauth_token(creds["client_id"], creds["client_secret"])
        yield client


def test_the_token_grant_answers_what_the_reference_shows(emulator: RunningEmulator) -> None:
    context = ssl.create_default_context(cafile=str(emulator.tls.ca))
    with httpx.Client(base_url=emulator.origin, verify=context) as http:
        creds = credentials()
        data = assert_enveloped(
            ReferenceCalls(http).get_oauth_token(creds["client_id"], creds["client_secret"])
        )
    assert data["accessToken"].count(".") == 2
    assert data["expiresIn"] == 3600 and data["tokenType"] == "Bearer"


def test_the_token_check_accepts_the_granted_token(calls: ReferenceCalls) -> None:
    data = assert_enveloped(calls.test_oauth())
    assert "If you see this" in data["message"]


def test_associations_list_and_read_with_the_fields_the_reference_shows(
    calls: ReferenceCalls,
) -> None:
    listed = assert_enveloped(calls.list_associations())
    first = listed[0]
    entity = first["downstreamEntity"]
    for key in ("_id", "legalName", "npn", "category"):
        assert key in entity, key
    assert first["niprDataSubscription"]["npn"] == entity["npn"]
    by_npn = assert_enveloped(calls.list_associations(downstreamEntityNpn=entity["npn"]))
    assert first in by_npn
    assert assert_enveloped(calls.get_association(first["_id"])) == first


def test_licenses_and_policy_compliance_of_an_association(calls: ReferenceCalls) -> None:
    association = assert_enveloped(calls.list_associations())[1]["_id"]
    licenses = assert_enveloped(calls.association_licenses(association))
    for key in ("stateCode", "licenseNumber", "status", "licenseClassName", "expirationDate"):
        assert key in licenses[0], key
    state = licenses[0]["stateCode"]
    in_state = assert_enveloped(calls.association_licenses(association, stateCode=state))
    assert in_state and {lic["stateCode"] for lic in in_state} == {state}
    compliance = assert_enveloped(calls.policy_compliance(association))
    assert {"eAndO", "cyber", "downstreamEntityNpn"} <= set(compliance)
    assert compliance["eAndO"]["carrierName"] and compliance["eAndO"]["expiryDate"]


def test_agents_list_with_each_documented_filter_and_read_one(calls: ReferenceCalls) -> None:
    association = assert_enveloped(calls.list_associations())[2]["_id"]
    agents = assert_enveloped(calls.list_agents(downstreamEntityAssociationId=association))
    assert agents
    agent = agents[0]
    for key in ("_id", "npn", "firstName", "lastName", "createdAt"):
        assert key in agent["agent"], key
    assert assert_enveloped(calls.list_agents(npn=agent["agent"]["npn"])) == [agent]
    license_ = assert_enveloped(calls.association_licenses(association))[0]
    by_license = assert_enveloped(
        calls.list_agents(licenseNumber=license_["licenseNumber"], stateCode=license_["stateCode"])
    )
    assert agent in by_license
    assert assert_enveloped(calls.get_agent(agent["agent"]["_id"])) == agent


def test_the_create_agent_example_adds_an_agent(calls: ReferenceCalls) -> None:
    # the page's example id (507f1f77bcf86cd799439012) names no association of the seed
    association = assert_enveloped(calls.list_associations())[3]["_id"]
    response = calls.create_agent(association)
    assert response.status_code == 201, response.text
    created = assert_enveloped(response.json())
    assert created["agent"]["npn"] == "12345678" and created["email"] == "agent@example.com"
    assert created["onboardingCategory"] and isinstance(created["authority"], list)
    assert assert_enveloped(calls.get_agent(created["agent"]["_id"])) == created
