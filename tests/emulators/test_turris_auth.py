"""Who may call the Turris emulator: the token grant (POST /auth/jwt), the token check
(GET /auth/test-oauth), bearer JWTs that expire on the virtual clock, the restricted access
token and its IP allow-list, and the token endpoint's 10-a-minute limit."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock
from harness.emulators.turris import credentials
from tests.emulators.conftest import ModuleEmulator, advance, client_for
from tests.emulators.test_turris import (
    DEA,
    START,
    STORE,
    assert_error,
    bearer,
    grant,
    jwt_part,
)

EMULATOR = ModuleEmulator("turris", frozen_at=START)
RESTRICTED = {"x-restricted-access-token": credentials()["restricted_token"]}


@pytest.fixture(scope="module")
def auth(api: httpx.Client) -> dict[str, str]:
    return bearer(api)


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


def test_the_token_is_a_signed_jwt_for_3600_seconds_on_the_virtual_clock(
    api: httpx.Client,
) -> None:
    data = grant(api).json()["data"]
    assert data["expiresIn"] == 3600 and data["tokenType"] == "Bearer"
    assert jwt_part(data["accessToken"], 0) == {"alg": "HS256", "typ": "JWT"}
    payload = jwt_part(data["accessToken"], 1)
    assert payload["exp"] - payload["iat"] == 3600
    assert payload["iat"] == int(START) and payload["sub"] == credentials()["client_id"]


def test_the_token_check_answers_200_with_the_client_and_expiry(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    body = api.get("/auth/test-oauth", headers=auth).json()
    assert body["statusCode"] == 200
    assert body["data"]["message"].startswith("If you see this")
    assert body["data"]["clientId"] == credentials()["client_id"]
    assert body["data"]["expiresAt"] == "2025-06-15T16:07:00.000Z"  # START + 3600 s


def test_missing_bad_and_forged_credentials_get_401_unauthorized(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    assert_error(grant(api, clientSecret="wrong"), 401, "unauthorized")
    assert_error(api.get(DEA), 401, "unauthorized")
    assert_error(api.get("/auth/test-oauth"), 401, "unauthorized")
    for value in ("Bearer nope", "Basic abc", "Token x", auth["Authorization"] + "x"):
        headers = {"Authorization": value}
        assert_error(api.get("/auth/test-oauth", headers=headers), 401, "unauthorized")
        assert_error(api.get("/agents", headers=headers), 401, "unauthorized")
    assert_error(api.get(DEA, headers={"x-restricted-access-token": "guess"}), 401, "unauthorized")


def test_the_grant_needs_both_fields_as_json(api: httpx.Client) -> None:
    body = assert_error(api.post("/auth/jwt", json={}), 400, "invalid_input")
    assert body["errorMessage"] == [
        "Field 'clientId' is required",
        "Field 'clientSecret' is required",
    ]
    creds = json.dumps({"clientId": "a", "clientSecret": "b"}).encode()
    body = assert_error(api.post("/auth/jwt", content=creds), 400, "invalid_input")
    assert body["errorMessage"] == ["Content-Type must be application/json"]


def test_the_restricted_token_authenticates_reads_and_writes_from_an_allow_listed_address(
    api: httpx.Client, auth: dict[str, str]
) -> None:
    response = api.get(DEA, headers=RESTRICTED)
    assert response.status_code == 200
    assert response.json()["data"] == api.get(DEA, headers=auth).json()["data"]
    created = api.post("/agents", json={"npn": "55501234"}, headers=RESTRICTED)
    assert created.status_code == 201, created.text


def test_the_restricted_token_from_another_address_gets_403_forbidden(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    _emu, c = fresh(options={"restricted_ip_allow_list": ["10.20.30.40"]})
    body = assert_error(c.get(DEA, headers=RESTRICTED), 403, "forbidden")
    assert "127.0.0.1" in body["errorMessage"][0]
    assert c.get(DEA, headers=bearer(c)).status_code == 200


def test_a_token_works_for_3600_seconds_then_gets_401_and_a_new_one_works(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    running, c = fresh()
    old = bearer(c)
    advance(running, 3599)
    assert c.get("/auth/test-oauth", headers=old).status_code == 200
    assert c.get(DEA, headers=old).status_code == 200
    advance(running, 1)
    body = assert_error(c.get("/auth/test-oauth", headers=old), 401, "unauthorized")
    assert "expired" in body["errorMessage"][0]
    assert_error(c.get(DEA, headers=old), 401, "unauthorized")
    assert_error(c.post("/agents", json={"npn": "1"}, headers=old), 401, "unauthorized")
    assert c.get(DEA, headers=bearer(c)).status_code == 200


def _rate_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("x-ratelimit")}


def test_the_token_endpoint_allows_10_a_minute_then_429_until_the_window_ends(
    fresh: Callable[..., tuple[RunningEmulator, httpx.Client]],
) -> None:
    running, c = fresh()
    secret = credentials()["client_secret"]
    answers = [grant(c, clientSecret="wrong" if i % 2 else secret) for i in range(10)]
    assert [r.status_code for r in answers] == [201, 401] * 5
    for i, r in enumerate(answers):
        assert STORE.validate_headers("headers-rate-limit.schema.json", r.headers, "turris") == []
        assert _rate_headers(r) == {
            "x-ratelimit-limit": "10",
            "x-ratelimit-remaining": str(9 - i),
            "x-ratelimit-reset": str(int(START) + 60),
        }
    refused = grant(c)
    assert_error(refused, 429, "rate_limit_exceeded")
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.headers["retry-after"] == "60"
    advance(running, 59)
    assert grant(c).status_code == 429
    advance(running, 1)
    again = grant(c)
    assert again.status_code == 201 and again.headers["x-ratelimit-remaining"] == "9"
