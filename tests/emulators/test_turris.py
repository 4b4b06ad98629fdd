"""The Turris emulator serves the public reference's reads as turris.txt and the reference
say: downstream entity associations (with licenses and policy compliance) and agents, in
the wrapped envelope, with the documented errors. Tokens and the restricted token:
test_turris_auth; writes, limits and idempotency: test_turris_writes; faults:
test_turris_faults."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
import pytest

from harness.emulators import VirtualClock, run_emulator
from harness.emulators._server import TLSFiles
from harness.emulators.turris import credentials
from harness.profiles import load_profile
from harness.validation import default_store
from tests.emulators.conftest import ModuleEmulator, client_for

START = 1_750_000_020.0  # a frozen clock at the start of a one-minute window
PROFILE = load_profile("turris")
STORE = default_store()
REQUEST_ID = re.compile(PROFILE.request_id_pattern or "")
MILLIS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
KEY = "3f2b8c1e-7d4a-4e6b-9a1c-5d8e2f7b0c91"
ZERO_ID = "000000000000000000000000"
DEA = "/downstream-entity-associations"
EMULATOR = ModuleEmulator("turris", frozen_at=START)


def violations(schema: str, instance: Any) -> list[str]:
    return [str(v) for v in STORE.validate(schema, instance, vendor="turris")]


def grant(client: httpx.Client, **override: str) -> httpx.Response:
    creds = credentials()
    body = {"clientId": creds["client_id"], "clientSecret": creds["client_secret"], **override}
    return client.post("/auth/jwt", json=body)


def bearer(client: httpx.Client) -> dict[str, str]:
    response = grant(client)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['data']['accessToken']}"}


def jwt_part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def assert_error(response: httpx.Response, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert violations(f"error-{status}.schema.json", body) == []
    assert set(body) == {"statusCode", "requestId", "errorType", "errorMessage", "timestamp"}
    assert body["errorType"] == error_type and body["statusCode"] == status
    assert REQUEST_ID.match(body["requestId"]) and MILLIS_Z.match(body["timestamp"])
    return body


def dates_in(value: Any) -> list[str]:
    """Every value of a documented date field, at any depth."""
    fields = set(PROFILE.features["timestamps"]["fields"])
    if isinstance(value, list):
        return [d for item in value for d in dates_in(item)]
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in fields and isinstance(v, str)]
        return found + [d for v in value.values() for d in dates_in(v)]
    return []


def agent_id(item: dict[str, Any]) -> str:
    found: str = item["agent"]["_id"]
    return found


@pytest.fixture(scope="module")
def auth(api: httpx.Client) -> dict[str, str]:
    return bearer(api)


@pytest.fixture(scope="module")
def associations(api: httpx.Client, auth: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.get(DEA, headers=auth).json()["data"]
    return found


@pytest.fixture(scope="module")
def agents(api: httpx.Client, auth: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.get("/agents", headers=auth).json()["data"]
    return found


# ---------------------------------------------------------------- data


def test_seeded_collections_are_large_and_every_record_validates(
    associations: list[dict[str, Any]], agents: list[dict[str, Any]]
) -> None:
    assert (len(associations), len(agents)) == (120, 360)
    for records, ids, schema in (
        (associations, [a["_id"] for a in associations], "association"),
        (agents, [agent_id(a) for a in agents], "agent"),
    ):
        assert len(set(ids)) == len(ids) and all(OBJECT_ID.match(i) for i in ids)
        for record in records:
            assert violations(f"{schema}.schema.json", record) == [], record
        assert dates_in(records) and all(MILLIS_Z.match(d) for d in dates_in(records))


def test_licenses_and_compliance_describe_their_association(
    api: httpx.Client, auth: dict[str, str], associations: list[dict[str, Any]]
) -> None:
    for association in associations[:5]:
        npn = association["downstreamEntity"]["npn"]
        licenses = api.get(f"{DEA}/{association['_id']}/licenses", headers=auth).json()["data"]
        assert licenses and {lic["npn"] for lic in licenses} == {npn}
        for lic in licenses:
            assert violations("license.schema.json", lic) == []
            assert lic["licenseNumber"].startswith(lic["stateCode"])
        path = f"{DEA}/{association['_id']}/policy-compliance-statuses"
        compliance = api.get(path, headers=auth).json()["data"]
        assert violations("policy-compliance.schema.json", compliance) == []
        assert compliance["downstreamEntityNpn"] == npn
        assert compliance["downstreamEntityId"] == association["downstreamEntity"]["_id"]
        assert compliance["eAndO"]["primaryInsured"] == association["downstreamEntity"]["legalName"]


def test_the_seed_is_deterministic(tls: TLSFiles, associations: list[dict[str, Any]]) -> None:
    clock = VirtualClock(START, flowing=False)
    with run_emulator("turris", tls=tls, clock=clock) as other, client_for(other) as c:
        again = c.get(DEA, headers=bearer(c)).json()["data"]
    assert again == associations


def test_lists_are_whole_collections_in_creation_order_and_ignore_paging_params(
    api: httpx.Client,
    auth: dict[str, str],
    associations: list[dict[str, Any]],
    agents: list[dict[str, Any]],
) -> None:
    for ids in ([a["_id"] for a in associations], [agent_id(a) for a in agents]):
        assert ids == sorted(ids)  # ObjectIds start with the creation second
    created = [a["agent"]["createdAt"] for a in agents]
    assert created == sorted(created)
    paged = api.get(DEA, params={"page": 2, "limit": 10}, headers=auth).json()["data"]
    assert paged == associations


# ---------------------------------------------------------------- success shapes


def _concrete(path: str, association: dict[str, Any], agent: dict[str, Any]) -> str:
    return path.replace("{downstreamEntityAssociationId}", association["_id"]).replace(
        "{agentId}", agent_id(agent)
    )


def test_every_read_of_the_inventory_answers_the_wrapped_envelope_of_its_schema(
    api: httpx.Client,
    auth: dict[str, str],
    associations: list[dict[str, Any]],
    agents: list[dict[str, Any]],
) -> None:
    reads = [op for op in PROFILE.operations if op.method == "GET"]
    assert {op.id for op in reads} >= {"associations.get", "agents.get", "auth.test-oauth"}
    for op in reads:
        response = api.get(_concrete(op.path, associations[7], agents[7]), headers=auth)
        assert response.status_code == op.status == 200, (op.id, response.text)
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert op.schema is not None
        schema = op.schema.removesuffix(".schema.json")
        assert violations(f"{schema}.wrapped.schema.json", body) == [], op.id
        assert violations(op.schema, body) == [], op.id
        assert body["statusCode"] == 200 and REQUEST_ID.match(body["requestId"])
        assert body["timestamp"] == "2025-06-15T15:07:00.000Z"  # the frozen virtual clock
        assert all(MILLIS_Z.match(d) for d in dates_in(body["data"]))


def test_one_record_reads_answer_the_listed_record(
    api: httpx.Client,
    auth: dict[str, str],
    associations: list[dict[str, Any]],
    agents: list[dict[str, Any]],
) -> None:
    one = api.get(f"{DEA}/{associations[3]['_id']}", headers=auth).json()["data"]
    assert one == associations[3]
    assert api.get(f"/agents/{agent_id(agents[3])}", headers=auth).json()["data"] == agents[3]


def test_request_ids_are_fresh_dev_uuids_on_every_response(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    seen = {api.get(f"{DEA}/{ZERO_ID}", headers=auth).json()["requestId"] for _ in range(5)}
    seen |= {api.get("/auth/test-oauth", headers=auth).json()["requestId"] for _ in range(5)}
    assert len(seen) == 10 and all(REQUEST_ID.match(s) and s.startswith("dev-") for s in seen)
