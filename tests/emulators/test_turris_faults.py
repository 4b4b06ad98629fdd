"""Each Turris fault breaks its one clause observably, and only while it is active."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock
from harness.emulators.turris import FAULTS
from tests.emulators.conftest import ModuleEmulator, advance, client_for, set_faults
from tests.emulators.test_turris import (
    KEY,
    REQUEST_ID,
    START,
    STORE,
    bearer,
    grant,
    violations,
)

CLAUSES = Path(__file__).resolve().parents[2] / "schemas" / "turris" / "clauses.toml"
ZERO_ID = "000000000000000000000000"
EMULATOR = ModuleEmulator("turris", frozen_at=START)


@pytest.fixture(scope="module")
def auth(api: httpx.Client) -> dict[str, str]:
    return bearer(api)


@pytest.fixture(scope="module")
def agency(api: httpx.Client, auth: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = api.get("/agencies", headers=auth).json()["data"][5]
    return found


@pytest.fixture
def faulty(emu: RunningEmulator) -> Iterator[Callable[[str], None]]:
    """``faulty(name)`` turns a fault on for the rest of the test."""
    active: list[str] = []

    def enable(name: str) -> None:
        set_faults(emu, enable=(name,))
        active.append(name)

    yield enable
    set_faults(emu, disable=tuple(active))


def test_every_fault_names_one_turris_clause_and_is_uniquely_prefixed() -> None:
    clauses = {c["id"] for c in tomllib.loads(CLAUSES.read_text())["clause"]}
    names = [f.name for f in FAULTS]
    assert len(names) == len(set(names)) >= 6
    for fault in FAULTS:
        assert fault.name.startswith("turris-") and fault.clause in clauses, fault
    assert len({f.clause for f in FAULTS}) == len(FAULTS)


def test_double_wrapped_envelope_breaks_every_reading_of_the_success_shape(
    api: httpx.Client,
    auth: dict[str, str],
    agency: dict[str, Any],
    faulty: Callable[[str], None],
) -> None:
    path = f"/agencies/{agency['agencyId']}"
    clean = api.get(path, headers=auth).json()
    assert violations("agency-object.wrapped.schema.json", clean) == []
    faulty("turris-envelope-double-wrapped")
    broken = api.get(path, headers=auth).json()
    assert broken["data"]["data"] == agency
    for reading in ("", ".wrapped", ".wrapped-no-status", ".bare"):
        assert violations(f"agency-object{reading}.schema.json", broken) != [], reading
    assert violations("agency-list.schema.json", api.get("/agencies", headers=auth).json())
    # the token endpoint stays intact so that clients can still authenticate
    assert violations("token.schema.json", grant(api).json()) == []
    assert broken["statusCode"] == 200 and REQUEST_ID.match(broken["requestId"])
    error = api.get(f"/agencies/{ZERO_ID}", headers=auth).json()
    assert violations("error-404.schema.json", error) == []


def test_unprefixed_request_ids_break_only_the_request_id_format(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    faulty("turris-request-id-unprefixed")
    ok = api.get("/auth/test-oauth", headers=auth).json()
    error = api.get(f"/agents/{ZERO_ID}", headers=auth).json()
    for body in (ok, error):
        assert not REQUEST_ID.match(body["requestId"])
        assert len(body["requestId"]) == 36 and not body["requestId"].startswith("dev-")
    assert violations("envelope.wrapped.schema.json", ok) == []
    assert violations("error-404.schema.json", error) == []


def test_status_code_always_200_contradicts_a_201_created(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    clean = api.post("/agencies", json={"name": "Clean Status"}, headers=auth)
    assert clean.status_code == clean.json()["statusCode"] == 201
    faulty("turris-status-code-always-200")
    created = api.post("/agencies", json={"name": "Broken Status"}, headers=auth)
    assert created.status_code == 201 and created.json()["statusCode"] == 200
    token = grant(api)
    assert token.status_code == 201 and token.json()["statusCode"] == 200
    assert violations("agency-object.wrapped.schema.json", created.json()) == []
    assert api.get(f"/agencies/{ZERO_ID}", headers=auth).json()["statusCode"] == 404


def test_local_offset_dates_break_both_readings_of_the_date_format(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    clean = api.get("/policies", headers=auth).json()["data"][0]
    faulty("turris-dates-local-offset")
    body = api.get(f"/policies/{clean['policyId']}", headers=auth).json()
    for name in ("createdAt", "updatedAt", "effectiveDate", "expirationDate"):
        value = body["data"][name]
        assert value.endswith("+02:00")
        assert datetime.fromisoformat(value) == datetime.fromisoformat(clean[name])
        assert violations("timestamp.millis.schema.json", value)
        assert violations("timestamp.any-precision.schema.json", value)
    assert violations("timestamp.millis.schema.json", body["timestamp"]) == []


def test_extended_json_ids_break_the_objectid_format(
    api: httpx.Client,
    auth: dict[str, str],
    agency: dict[str, Any],
    faulty: Callable[[str], None],
) -> None:
    faulty("turris-ids-extended-json")
    body = api.get(f"/agencies/{agency['agencyId']}", headers=auth).json()
    assert body["data"]["agencyId"] == {"$oid": agency["agencyId"]}
    assert [
        v.pointer
        for v in STORE.validate("agency-object.wrapped.schema.json", body, vendor="turris")
    ] == ["/data/agencyId"]
    agent = api.get("/agents", headers=auth).json()["data"][0]
    assert set(agent["agentId"]) == {"$oid"} and set(agent["agencyId"]) == {"$oid"}
    assert REQUEST_ID.match(body["requestId"])


def test_a_string_error_message_breaks_the_message_list(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    clean = api.post("/agents", json={}, headers=auth).json()
    assert isinstance(clean["errorMessage"], list) and len(clean["errorMessage"]) == 3
    faulty("turris-error-message-string")
    body = api.post("/agents", json={}, headers=auth).json()
    assert body["errorMessage"] == "; ".join(clean["errorMessage"])
    assert [v.pointer for v in STORE.validate("error-400.schema.json", body, vendor="turris")] == [
        "/errorMessage"
    ]
    assert body["errorType"] == "invalid_input" and body["statusCode"] == 400


def _names(client: httpx.Client, auth: dict[str, str], name: str) -> int:
    return [a["name"] for a in client.get("/agencies", headers=auth).json()["data"]].count(name)


@pytest.mark.parametrize(
    ("fault", "broken_header", "working_header"),
    [
        ("turris-idempotency-key-ignored", "idempotency-key", "x-idempotency-key"),
        ("turris-x-idempotency-key-ignored", "x-idempotency-key", "idempotency-key"),
    ],
)
def test_an_ignored_idempotency_header_makes_a_second_record(
    api: httpx.Client,
    auth: dict[str, str],
    faulty: Callable[[str], None],
    fault: str,
    broken_header: str,
    working_header: str,
) -> None:
    faulty(fault)
    name = f"Agency for {fault}"
    key, other = (
        (KEY[:-4] + "a1a1", KEY[:-4] + "c3c3")
        if broken_header == "idempotency-key"
        else (KEY[:-4] + "b2b2", KEY[:-4] + "d4d4")
    )
    first = api.post("/agencies", json={"name": name}, headers={**auth, broken_header: key})
    second = api.post("/agencies", json={"name": name}, headers={**auth, broken_header: key})
    assert first.status_code == second.status_code == 201
    assert first.json()["data"]["agencyId"] != second.json()["data"]["agencyId"]
    assert _names(api, auth, name) == 2
    kept = [
        api.post("/agencies", json={"name": name}, headers={**auth, working_header: other})
        for _ in range(2)
    ]
    assert kept[0].content == kept[1].content
    assert _names(api, auth, name) == 3


def test_a_relative_reset_header_breaks_the_rate_limit_headers(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    clean = api.post("/agencies", json={"name": "Reset Clean"}, headers=auth)
    assert clean.headers["x-ratelimit-reset"] == str(int(START) + 60)
    faulty("turris-ratelimit-reset-relative")
    broken = api.post("/agencies", json={"name": "Reset Broken"}, headers=auth)
    assert broken.headers["x-ratelimit-reset"] == "60"
    assert broken.headers["x-ratelimit-limit"] == "60"
    assert (
        int(broken.headers["x-ratelimit-remaining"])
        == int(clean.headers["x-ratelimit-remaining"]) - 1
    )
    assert [
        v.pointer
        for v in STORE.validate_headers(
            "headers-rate-limit.schema.json", broken.headers, vendor="turris"
        )
    ] == ["/x-ratelimit-reset"]


def test_an_accepted_expired_token_breaks_the_token_lifetime(
    start: Callable[..., RunningEmulator],
) -> None:
    running = start(
        "turris",
        clock=VirtualClock(START, flowing=False),
        faults=("turris-expired-token-accepted",),
    )
    with client_for(running) as c:
        old = bearer(c)
        advance(running, 3600 * 5)
        assert c.get("/agencies", headers=old).status_code == 200
        assert c.get("/auth/test-oauth", headers=old).status_code == 200
        forged = {"Authorization": old["Authorization"][:-3] + "xyz"}
        assert c.get("/agencies", headers=forged).status_code == 401
        assert c.get("/agencies", headers={"Authorization": "Bearer junk"}).status_code == 401
        set_faults(running, disable=("turris-expired-token-accepted",))
        assert c.get("/agencies", headers=old).status_code == 401


def test_an_unenforced_content_type_accepts_writes_without_json(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    raw = b'{"name": "Plain Text Agency"}'
    assert api.post("/agencies", content=raw, headers=auth).status_code == 400
    faulty("turris-content-type-not-enforced")
    for headers in ({}, {"Content-Type": "text/plain"}):
        response = api.post("/agencies", content=raw, headers={**auth, **headers})
        assert response.status_code == 201
    bad = api.post("/agencies", content=b"{oops", headers=auth)
    assert bad.status_code == 400 and bad.json()["errorType"] == "invalid_input"


def test_faults_switch_off_again_at_run_time(
    emu: RunningEmulator, api: httpx.Client, auth: dict[str, str], agency: dict[str, Any]
) -> None:
    path = f"/agencies/{agency['agencyId']}"
    set_faults(emu, enable=tuple(f.name for f in FAULTS))
    assert api.get(path, headers=auth).json()["data"] != agency
    set_faults(emu, disable=tuple(f.name for f in FAULTS))
    clean = api.get(path, headers=auth).json()
    assert clean["data"] == agency and clean["requestId"].startswith("dev-")
