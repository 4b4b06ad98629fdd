"""Each Turris fault breaks its one clause observably, and only while it is active (the
selftest proves the checks catch them; these show what each one changes on the wire)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator
from harness.emulators.turris import FAULTS
from tests.emulators.conftest import ModuleEmulator, set_faults
from tests.emulators.test_turris import (
    DEA,
    KEY,
    REQUEST_ID,
    START,
    STORE,
    ZERO_ID,
    agent_id,
    bearer,
    grant,
    violations,
)

CLAUSES = Path(__file__).resolve().parents[2] / "schemas" / "turris" / "clauses.toml"
EMULATOR = ModuleEmulator("turris", frozen_at=START)


@pytest.fixture(scope="module")
def auth(api: httpx.Client) -> dict[str, str]:
    return bearer(api)


@pytest.fixture(scope="module")
def association(api: httpx.Client, auth: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = api.get(DEA, headers=auth).json()["data"][5]
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


def test_every_fault_names_a_turris_clause_a_unique_name_and_a_description() -> None:
    clauses = {c["id"] for c in tomllib.loads(CLAUSES.read_text())["clause"]}
    names = [f.name for f in FAULTS]
    assert len(names) == len(set(names))
    for fault in FAULTS:
        assert fault.name.startswith("turris-") and fault.clause in clauses, fault
        assert fault.description.strip(), fault


def test_clauses_without_a_fault_say_why_no_fault_can_be_built() -> None:
    faulted = {f.clause for f in FAULTS}
    for clause in tomllib.loads(CLAUSES.read_text())["clause"]:
        if "unfaultable" in clause:
            assert clause["id"] not in faulted and len(clause["unfaultable"]) > 40, clause["id"]


def test_double_wrapped_envelope_breaks_every_reading_of_the_success_shape(
    api: httpx.Client,
    auth: dict[str, str],
    association: dict[str, Any],
    faulty: Callable[[str], None],
) -> None:
    path = f"{DEA}/{association['_id']}"
    assert (
        violations("association-object.wrapped.schema.json", api.get(path, headers=auth).json())
        == []
    )
    faulty("turris-envelope-double-wrapped")
    broken = api.get(path, headers=auth).json()
    assert broken["data"]["data"] == association
    for reading in ("", ".wrapped", ".wrapped-no-status", ".bare"):
        assert violations(f"association-object{reading}.schema.json", broken) != [], reading
    # the token endpoint stays intact so that clients can still authenticate
    assert violations("token.schema.json", grant(api).json()) == []
    assert (
        violations("error-404.schema.json", api.get(f"{DEA}/{ZERO_ID}", headers=auth).json()) == []
    )


def test_unprefixed_request_ids_break_only_the_request_id_format(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    faulty("turris-request-id-unprefixed")
    ok = api.get("/auth/test-oauth", headers=auth).json()
    error = api.get(f"/agents/{ZERO_ID}", headers=auth).json()
    for body in (ok, error):
        assert not REQUEST_ID.match(body["requestId"]) and len(body["requestId"]) == 36
    assert violations("envelope.wrapped.schema.json", ok) == []
    assert violations("error-404.schema.json", error) == []


@pytest.mark.parametrize(
    ("fault", "success", "error"),
    [
        ("turris-request-id-empty-on-201", "", "dev-"),
        ("turris-timestamp-epoch-millis", 1_750_000_020_000, "2025-"),
    ],
)
def test_envelope_metadata_faults_change_success_bodies_and_leave_errors_alone(
    api: httpx.Client,
    auth: dict[str, str],
    faulty: Callable[[str], None],
    fault: str,
    success: Any,
    error: str,
) -> None:
    field = "requestId" if "request-id" in fault else "timestamp"
    faulty(fault)
    created = api.post("/agents", json={"npn": "24681357"}, headers=auth).json()
    assert created[field] == success and agent_id(created["data"])
    refused = api.get(f"{DEA}/{ZERO_ID}", headers=auth).json()
    assert refused[field].startswith(error)
    assert violations("error-404.schema.json", refused) == []


def test_the_grant_timestamp_fault_writes_local_time_on_the_grant_only(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    faulty("turris-timestamp-local-time-on-grant")
    stamp = grant(api).json()["timestamp"]
    assert stamp == "2025-06-15T17:07:00.000+02:00"
    assert datetime.fromisoformat(stamp).timestamp() == START
    assert api.get(DEA, headers=auth).json()["timestamp"].endswith("Z")


def test_status_code_always_200_contradicts_a_201_created(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    faulty("turris-status-code-always-200")
    created = api.post("/agents", json={"npn": "11223344"}, headers=auth)
    assert created.status_code == 201 and created.json()["statusCode"] == 200
    assert grant(api).json()["statusCode"] == 200
    assert api.get(f"/agents/{ZERO_ID}", headers=auth).json()["statusCode"] == 404


def test_local_offset_dates_break_both_readings_of_the_date_format(
    api: httpx.Client,
    auth: dict[str, str],
    association: dict[str, Any],
    faulty: Callable[[str], None],
) -> None:
    path = f"{DEA}/{association['_id']}/licenses"
    clean = api.get(path, headers=auth).json()["data"][0]
    faulty("turris-dates-local-offset")
    body = api.get(path, headers=auth).json()
    for name in ("issueDate", "expirationDate", "updatedAt"):
        value = body["data"][0][name]
        assert value.endswith("+02:00")
        assert datetime.fromisoformat(value) == datetime.fromisoformat(clean[name])
        assert violations("timestamp.millis.schema.json", value)
        assert violations("timestamp.any-precision.schema.json", value)
    assert violations("timestamp.millis.schema.json", body["timestamp"]) == []


def test_extended_json_ids_break_the_objectid_format(
    api: httpx.Client,
    auth: dict[str, str],
    association: dict[str, Any],
    faulty: Callable[[str], None],
) -> None:
    faulty("turris-ids-extended-json")
    body = api.get(f"{DEA}/{association['_id']}", headers=auth).json()
    assert body["data"]["_id"] == {"$oid": association["_id"]}
    pointers = {
        v.pointer for v in STORE.validate("association-object.wrapped.schema.json", body, "turris")
    }
    assert "/data/_id" in pointers and all(p.endswith("_id") for p in pointers)
    agent = api.get("/agents", headers=auth).json()["data"][0]
    assert set(agent["agent"]["_id"]) == {"$oid"}


def test_a_string_error_message_breaks_the_message_list(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    clean = api.post("/agents", json={"email": "x"}, headers=auth).json()
    assert isinstance(clean["errorMessage"], list) and len(clean["errorMessage"]) == 2
    faulty("turris-error-message-string")
    body = api.post("/agents", json={"email": "x"}, headers=auth).json()
    assert body["errorMessage"] == "; ".join(clean["errorMessage"])
    found = [v.pointer for v in STORE.validate("error-400.schema.json", body, vendor="turris")]
    assert found == ["/errorMessage"]


@pytest.mark.parametrize(
    ("fault", "broken", "working"),
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
    broken: str,
    working: str,
) -> None:
    faulty(fault)
    body = {"npn": "4242" + ("0001" if broken == "idempotency-key" else "0002")}
    first = broken == "idempotency-key"
    key, other = KEY[:-4] + ("a1a1" if first else "b2b2"), KEY[:-4] + ("c3c3" if first else "d4d4")
    twice = [api.post("/agents", json=body, headers={**auth, broken: key}) for _ in range(2)]
    assert [r.status_code for r in twice] == [201, 201]
    assert agent_id(twice[0].json()["data"]) != agent_id(twice[1].json()["data"])
    kept = [api.post("/agents", json=body, headers={**auth, working: other}) for _ in range(2)]
    assert kept[0].content == kept[1].content


def test_a_relative_reset_header_breaks_the_rate_limit_headers(
    api: httpx.Client, auth: dict[str, str], faulty: Callable[[str], None]
) -> None:
    clean = api.post("/agents", json={"npn": "5"}, headers=auth)
    assert clean.headers["x-ratelimit-reset"] == str(int(START) + 60)
    faulty("turris-ratelimit-reset-relative")
    broken = api.post("/agents", json={"npn": "6"}, headers=auth)
    assert broken.headers["x-ratelimit-reset"] == "60"
    found = STORE.validate_headers("headers-rate-limit.schema.json", broken.headers, "turris")
    assert [v.pointer for v in found] == ["/x-ratelimit-reset"]


def test_reading_faults_follow_a_lenient_reading_the_strict_schema_refuses(
    api: httpx.Client,
    auth: dict[str, str],
    association: dict[str, Any],
    faulty: Callable[[str], None],
) -> None:
    path = f"{DEA}/{association['_id']}/licenses"
    faulty("turris-record-dates-without-millis")
    faulty("turris-envelope-without-status-code")
    body = api.get(path, headers=auth).json()
    issued = body["data"][0]["issueDate"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", issued), issued
    assert violations("timestamp.any-precision.schema.json", issued) == []
    assert violations("timestamp.millis.schema.json", issued) != []
    assert "statusCode" not in body
    assert violations("license-list.schema.json", body) == []
    assert violations("license-list.wrapped.schema.json", body) != []
