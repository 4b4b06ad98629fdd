"""The Turris emulator behaves as turris.txt and PUBLIC-FACTS say (faults: test_turris_faults)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock, run_emulator
from harness.emulators._server import TLSFiles
from harness.emulators.turris import credentials
from harness.profiles import load_profile
from harness.validation import default_store
from tests.emulators.conftest import ModuleEmulator, advance, client_for

START = 1_750_000_020.0  # a frozen clock at the start of a one-minute window
PROFILE = load_profile("turris")
STORE = default_store()
REQUEST_ID = re.compile(PROFILE.request_id_pattern or "")
MILLIS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
RESOURCES = {"agencies": "agencyId", "agents": "agentId", "policies": "policyId"}
RECORD_SCHEMA = {"agencies": "agency", "agents": "agent", "policies": "policy"}
DATE_FIELDS = ("createdAt", "updatedAt", "effectiveDate", "expirationDate")
KEY = "3f2b8c1e-7d4a-4e6b-9a1c-5d8e2f7b0c91"
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


def jwt_payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def assert_error(response: httpx.Response, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert violations(f"error-{status}.schema.json", body) == []
    assert set(body) == {"statusCode", "requestId", "errorType", "errorMessage", "timestamp"}
    assert body["errorType"] == error_type
    assert REQUEST_ID.match(body["requestId"]) and MILLIS_Z.match(body["timestamp"])
    return body


def assert_dates(record: dict[str, Any]) -> None:
    for name in DATE_FIELDS:
        if name in record:
            assert violations("timestamp.millis.schema.json", record[name]) == [], name


@pytest.fixture(scope="module")
def auth(api: httpx.Client) -> dict[str, str]:
    return bearer(api)


@pytest.fixture(scope="module")
def listed(api: httpx.Client, auth: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    return {name: api.get(f"/{name}", headers=auth).json()["data"] for name in RESOURCES}


@pytest.fixture
def fresh(
    start: Callable[..., RunningEmulator],
) -> Iterator[Callable[..., tuple[RunningEmulator, httpx.Client]]]:
    """A private emulator on a frozen clock, for tests that move time or use up limits."""
    clients: list[httpx.Client] = []

    def make(**kwargs: Any) -> tuple[RunningEmulator, httpx.Client]:
        running = start("turris", clock=VirtualClock(START, flowing=False), **kwargs)
        clients.append(client_for(running))
        return running, clients[-1]

    yield make
    for c in clients:
        c.close()


# ---------------------------------------------------------------- data and success shapes


def test_seeded_collections_are_large_and_every_record_validates(
    listed: dict[str, list[dict[str, Any]]],
) -> None:
    assert [len(listed[name]) for name in RESOURCES] == [260, 520, 780]
    for name, id_field in RESOURCES.items():
        ids = [record[id_field] for record in listed[name]]
        assert len(set(ids)) == len(ids)
        for record in listed[name]:
            assert violations(f"{RECORD_SCHEMA[name]}.schema.json", record) == [], record
            assert re.fullmatch(r"[0-9a-f]{24}", record[id_field])
            assert_dates(record)


def test_records_refer_to_existing_parents(listed: dict[str, list[dict[str, Any]]]) -> None:
    agencies = {a["agencyId"] for a in listed["agencies"]}
    agents = {a["agentId"]: a["agencyId"] for a in listed["agents"]}
    assert all(a["agencyId"] in agencies for a in listed["agents"])
    for policy in listed["policies"]:
        assert policy["agencyId"] in agencies
        if "agentId" in policy:
            assert agents[policy["agentId"]] == policy["agencyId"]


def test_the_seed_is_deterministic(tls: TLSFiles, listed: dict[str, list[dict[str, Any]]]) -> None:
    with run_emulator("turris", tls=tls) as other, client_for(other) as c:
        again = c.get("/agencies", headers=bearer(c)).json()["data"]
    assert again == listed["agencies"]


def test_lists_are_whole_collections_in_creation_order_and_ignore_paging_params(
    api: httpx.Client, auth: dict[str, str], listed: dict[str, list[dict[str, Any]]]
) -> None:
    for name, id_field in RESOURCES.items():
        ids = [r[id_field] for r in listed[name]]
        assert ids == sorted(ids)  # ObjectIds start with the creation second
        created = [r["createdAt"] for r in listed[name]]
        assert created == sorted(created)
    paged = api.get("/agencies", params={"page": 2, "limit": 10}, headers=auth)
    assert [r["agencyId"] for r in paged.json()["data"]] == [
        r["agencyId"] for r in listed["agencies"]
    ]


def test_every_success_route_answers_the_wrapped_envelope_of_its_schema(
    api: httpx.Client, auth: dict[str, str], listed: dict[str, list[dict[str, Any]]]
) -> None:
    token = grant(api)
    calls: list[tuple[httpx.Response, int, str]] = [
        (token, 201, "token"),
        (api.get("/auth/test-oauth", headers=auth), 200, "envelope"),
    ]
    for name, id_field in RESOURCES.items():
        one = listed[name][7][id_field]
        calls.append((api.get(f"/{name}", headers=auth), 200, f"{RECORD_SCHEMA[name]}-list"))
        calls.append(
            (api.get(f"/{name}/{one}", headers=auth), 200, f"{RECORD_SCHEMA[name]}-object")
        )
    agent = listed["agents"][0]
    for op in PROFILE.operations:
        if op.write:
            body = {
                k: str(v).format(agencyId=agent["agencyId"], agentId=agent["agentId"])
                for k, v in op.body.items()
            }
            response = api.post(op.path, json=body, headers=auth)
            assert op.schema is not None
            calls.append((response, 201, op.schema.removesuffix(".schema.json")))
    for response, status, schema in calls:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert violations(f"{schema}.wrapped.schema.json", body) == [], schema
        assert violations(f"{schema}.schema.json", body) == [], schema
        assert body["statusCode"] == status
        assert REQUEST_ID.match(body["requestId"])
        assert body["timestamp"] == "2025-06-15T15:07:00.000Z"  # the frozen virtual clock
        records = body["data"] if isinstance(body["data"], list) else [body["data"]]
        for record in records:
            assert_dates(record)


def test_request_ids_are_fresh_dev_uuids_on_every_response(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    seen = {
        api.get("/agencies/000000000000000000000000", headers=auth).json()["requestId"]
        for _ in range(5)
    }
    seen |= {api.get("/auth/test-oauth", headers=auth).json()["requestId"] for _ in range(5)}
    assert len(seen) == 10 and all(REQUEST_ID.match(s) and s.startswith("dev-") for s in seen)


def test_the_token_is_a_signed_jwt_expiring_on_the_virtual_clock(api: httpx.Client) -> None:
    data = grant(api).json()["data"]
    assert data["expiresIn"] == 3600 and data["tokenType"] == "Bearer"
    header = json.loads(base64.urlsafe_b64decode(data["accessToken"].split(".")[0] + "=="))
    payload = jwt_payload(data["accessToken"])
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert payload["exp"] - payload["iat"] == 3600
    assert payload["iat"] == int(START) and payload["sub"] == credentials()["client_id"]


# ---------------------------------------------------------------- errors


def test_bad_credentials_and_tokens_get_401_unauthorized(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    assert_error(grant(api, clientSecret="wrong"), 401, "unauthorized")
    assert_error(api.get("/agencies"), 401, "unauthorized")
    assert_error(api.get("/auth/test-oauth"), 401, "unauthorized")
    assert_error(
        api.get("/auth/test-oauth", headers={"Authorization": "Bearer nope"}), 401, "unauthorized"
    )
    assert_error(api.get("/agents", headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    forged = auth["Authorization"][:-4] + (
        "AAAA" if not auth["Authorization"].endswith("AAAA") else "BBBB"
    )
    assert_error(api.get("/policies", headers={"Authorization": forged}), 401, "unauthorized")
    assert_error(
        api.get("/agencies", headers={"x-restricted-access-token": "guess"}), 401, "unauthorized"
    )


def test_invalid_input_gets_400_naming_the_fields(api: httpx.Client, auth: dict[str, str]) -> None:
    body = assert_error(api.post("/auth/jwt", json={}), 400, "invalid_input")
    assert body["errorMessage"] == [
        "Field 'clientId' is required",
        "Field 'clientSecret' is required",
    ]
    body = assert_error(
        api.post("/agents", json={"email": "x"}, headers=auth), 400, "invalid_input"
    )
    assert body["errorMessage"] == [
        "Field 'agencyId' is required",
        "Field 'firstName' is required",
        "Field 'lastName' is required",
        "Field 'email' must be an email address",
    ]
    body = assert_error(
        api.post("/policies", headers=auth, json={"agencyId": "000000000000000000000000"}),
        400,
        "invalid_input",
    )
    assert "Field 'agencyId' does not match an existing agency" in body["errorMessage"]
    assert "Field 'policyNumber' is required" in body["errorMessage"]
    assert_error(
        api.post(
            "/agencies", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
        ),
        400,
        "invalid_input",
    )
    assert_error(api.post("/agencies", json=["a"], headers=auth), 400, "invalid_input")
    assert_error(api.get("/agencies/not-an-object-id", headers=auth), 400, "invalid_input")


def test_writes_without_json_content_type_get_400(api: httpx.Client, auth: dict[str, str]) -> None:
    raw = json.dumps({"name": "No Content Type Agency"}).encode()
    for headers in ({}, {"Content-Type": "text/plain"}):
        body = assert_error(
            api.post("/agencies", content=raw, headers={**auth, **headers}), 400, "invalid_input"
        )
        assert body["errorMessage"] == ["Content-Type must be application/json"]
    creds = json.dumps({"clientId": "a", "clientSecret": "b"}).encode()
    assert_error(api.post("/auth/jwt", content=creds), 400, "invalid_input")
    charset = api.post(
        "/agencies",
        content=raw,
        headers={**auth, "Content-Type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 201


def test_unknown_ids_routes_and_methods_get_404_not_found(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    for name in RESOURCES:
        assert_error(api.get(f"/{name}/000000000000000000000000", headers=auth), 404, "not_found")
    assert_error(api.get("/brokers", headers=auth), 404, "not_found")
    assert_error(api.get("/elsewhere"), 404, "not_found")
    body = assert_error(api.delete("/agencies", headers=auth), 404, "not_found")
    assert body["errorMessage"] == ["Cannot DELETE /v1/agencies"]
    assert_error(api.put("/auth/jwt", json={}), 404, "not_found")


def test_a_trailing_slash_reaches_the_same_route(api: httpx.Client, auth: dict[str, str]) -> None:
    assert api.get("/agents/", headers=auth).status_code == 200


def test_a_server_error_has_the_documented_500_body() -> None:
    import asyncio

    from harness.emulators import build_app

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


async def _explode(*_: Any) -> None:
    raise RuntimeError("boom")


# ---------------------------------------------------------------- restricted tokens


def test_the_restricted_token_authenticates_from_an_allow_listed_address(
    api: httpx.Client, listed: dict[str, list[dict[str, Any]]]
) -> None:
    headers = {"x-restricted-access-token": credentials()["restricted_token"]}
    response = api.get("/agencies", headers=headers)
    assert response.status_code == 200
    assert response.json()["data"][:260] == listed["agencies"]
    created = api.post("/agencies", json={"name": "Restricted Agency"}, headers=headers)
    assert created.status_code == 201


def test_the_restricted_token_from_another_address_gets_403_forbidden(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    _emu, c = fresh(options={"restricted_ip_allow_list": ["10.20.30.40"]})
    headers = {"x-restricted-access-token": credentials()["restricted_token"]}
    body = assert_error(c.get("/agencies", headers=headers), 403, "forbidden")
    assert "127.0.0.1" in body["errorMessage"][0]
    assert c.get("/agencies", headers=bearer(c)).status_code == 200


# ---------------------------------------------------------------- token lifetime


def test_a_token_works_for_3600_seconds_then_gets_401_and_a_new_one_works(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    running, c = fresh()
    old = bearer(c)
    advance(running, 3599)
    assert c.get("/auth/test-oauth", headers=old).status_code == 200
    assert c.get("/agencies", headers=old).status_code == 200
    advance(running, 1)
    body = assert_error(c.get("/auth/test-oauth", headers=old), 401, "unauthorized")
    assert "expired" in body["errorMessage"][0]
    assert_error(c.get("/agencies", headers=old), 401, "unauthorized")
    assert_error(c.post("/agencies", json={"name": "A"}, headers=old), 401, "unauthorized")
    assert c.get("/agencies", headers=bearer(c)).status_code == 200


# ---------------------------------------------------------------- rate limits


def _rate_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("x-ratelimit")}


def test_the_token_endpoint_allows_10_a_minute_then_429_until_the_window_ends(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    running, c = fresh()
    answers = [
        grant(c, clientSecret="wrong" if i % 2 else credentials()["client_secret"])
        for i in range(10)
    ]
    assert [r.status_code for r in answers] == [201, 401] * 5
    for i, r in enumerate(answers):
        assert (
            STORE.validate_headers("headers-rate-limit.schema.json", r.headers, vendor="turris")
            == []
        )
        assert _rate_headers(r) == {
            "x-ratelimit-limit": "10",
            "x-ratelimit-remaining": str(9 - i),
            "x-ratelimit-reset": str(int(START) + 60),
        }
    refused = grant(c)
    assert_error(refused, 429, "rate_limit_exceeded")
    assert (
        STORE.validate_headers("headers-rate-limit.schema.json", refused.headers, vendor="turris")
        == []
    )
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.headers["retry-after"] == "60"
    advance(running, 59)
    assert grant(c).status_code == 429
    advance(running, 1)
    again = grant(c)
    assert again.status_code == 201 and again.headers["x-ratelimit-remaining"] == "9"


def test_writes_allow_60_a_minute_then_429_and_reads_stay_unlimited(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    running, c = fresh()
    auth = bearer(c)
    writes = [c.post("/agencies", json={"name": f"Agency {i}"}, headers=auth) for i in range(60)]
    assert {r.status_code for r in writes} == {201}
    assert [r.headers["x-ratelimit-remaining"] for r in writes[-2:]] == ["1", "0"]
    assert writes[0].headers["x-ratelimit-limit"] == "60"
    for response in (writes[0], writes[-1]):
        assert (
            STORE.validate_headers(
                "headers-rate-limit.schema.json", response.headers, vendor="turris"
            )
            == []
        )
    refused = c.post("/agencies", json={"name": "One too many"}, headers=auth)
    body = assert_error(refused, 429, "rate_limit_exceeded")
    assert "60 requests per minute" in body["errorMessage"][0]
    assert refused.headers["x-ratelimit-reset"] == str(int(START) + 60)
    reads = [c.get("/agencies/000000000000000000000000", headers=auth) for _ in range(70)]
    reads += [c.get("/agents", headers=auth) for _ in range(3)]
    assert {r.status_code for r in reads} == {404, 200}
    assert not any(_rate_headers(r) for r in reads)
    listed = c.get("/agencies", headers=auth).json()["data"]
    assert len(listed) == 260 + 60
    advance(running, 60)
    assert c.post("/agencies", json={"name": "Next minute"}, headers=auth).status_code == 201


def test_an_assumed_limit_can_be_overridden_through_options(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    _running, c = fresh(options={"rate_limits": {"write": 2, "token": 3}})
    auth = bearer(c)
    statuses = [c.post("/agencies", json={"name": "A"}, headers=auth).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert [grant(c).status_code for _ in range(3)] == [201, 201, 429]


# ---------------------------------------------------------------- idempotency


@pytest.mark.parametrize("header", ["idempotency-key", "x-idempotency-key"])
def test_a_repeated_create_with_the_same_key_replays_the_first_result(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]], header: str
) -> None:
    running, c = fresh()
    auth = bearer(c)
    headers = {**auth, header: KEY}
    first = c.post("/agencies", json={"name": "Idempotent Agency"}, headers=headers)
    second = c.post("/agencies", json={"name": "Idempotent Agency"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    names = [a["name"] for a in c.get("/agencies", headers=auth).json()["data"]]
    assert names.count("Idempotent Agency") == 1
    other = {"x-idempotency-key" if header == "idempotency-key" else "idempotency-key": KEY}
    third = c.post("/agencies", json={"name": "Idempotent Agency"}, headers={**auth, **other})
    assert third.content == first.content
    body = assert_error(
        c.post("/agencies", json={"name": "Different"}, headers=headers), 400, "invalid_input"
    )
    assert "already used" in body["errorMessage"][0]
    advance(running, 3600)
    auth = bearer(c)
    later = c.post("/agencies", json={"name": "Idempotent Agency"}, headers={**auth, header: KEY})
    assert later.status_code == 201
    assert later.json()["data"]["agencyId"] != first.json()["data"]["agencyId"]


def test_without_a_key_every_create_makes_a_new_record_and_a_bad_key_gets_400(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    body = {"name": "Keyless Agency"}
    ids = {
        api.post("/agencies", json=body, headers=auth).json()["data"]["agencyId"] for _ in range(2)
    }
    assert len(ids) == 2
    bad = api.post("/agencies", json=body, headers={**auth, "idempotency-key": "not-a-uuid"})
    assert_error(bad, 400, "invalid_input")


def test_a_created_record_can_be_read_back_and_is_listed_last(
    api: httpx.Client, auth: dict[str, str], listed: dict[str, list[dict[str, Any]]]
) -> None:
    agency = listed["agencies"][3]["agencyId"]
    agent = api.post(
        "/agents",
        headers=auth,
        json={
            "agencyId": agency,
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@example.com",
            "ignoredField": 1,
        },
    ).json()["data"]
    assert "ignoredField" not in agent and agent["status"] == "active"
    assert api.get(f"/agents/{agent['agentId']}", headers=auth).json()["data"] == agent
    assert api.get("/agents", headers=auth).json()["data"][-1] == agent
    policy = api.post(
        "/policies",
        headers=auth,
        json={
            "agencyId": agency,
            "agentId": agent["agentId"],
            "policyNumber": "P-1",
            "premium": 1200.5,
            "effectiveDate": "2025-07-01T00:00:00Z",
        },
    ).json()["data"]
    assert policy["effectiveDate"] == "2025-07-01T00:00:00.000Z"
    assert policy["expirationDate"] == "2026-07-01T00:00:00.000Z"
    assert violations("policy.schema.json", policy) == []
    wrong_agency = listed["agencies"][4]["agencyId"]
    mismatch = api.post(
        "/policies",
        headers=auth,
        json={"agencyId": wrong_agency, "agentId": agent["agentId"], "policyNumber": "P-2"},
    )
    assert_error(mismatch, 400, "invalid_input")


# ---------------------------------------------------------------- the CLI


def test_harness_faults_lists_every_turris_fault(capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main
    from harness.emulators.turris import FAULTS

    assert main(["faults", "turris"]) == 0
    out = capsys.readouterr().out
    for fault in FAULTS:
        assert re.search(rf"^{fault.name}\s+{fault.clause}\s", out, re.M)
