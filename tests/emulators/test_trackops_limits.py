"""The Trackops emulator: Basic '{username}/token' auth, the 1 request/second limit, faults."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.cli import main
from harness.emulators import RunningEmulator, VirtualClock, run_emulator
from harness.emulators._server import TLSFiles
from harness.emulators.trackops import FAULTS, credentials
from harness.emulators.trackops._data import LIMITED_USERNAME, SIZES
from harness.targets import load_target
from harness.validation import default_store
from tests.emulators.conftest import advance, client_for, set_faults

VENDOR = "trackops"
CREDS = credentials()
AUTH = (CREDS["username"] + "/token", CREDS["api_token"])
LIMITED = (LIMITED_USERNAME + "/token", CREDS["api_token"])
UNLIMITED = {"rate_limits": {"all": 100000}}
EPOCH = 1_800_000_000.0  # a whole second: windows start here
Start = Callable[..., RunningEmulator]


def error_violations(body: Any, schema: str = "error.schema.json") -> list[str]:
    return [str(v) for v in default_store().validate(schema, body, vendor=VENDOR)]


def frozen() -> VirtualClock:
    return VirtualClock(EPOCH, flowing=False)


@pytest.fixture(scope="module")
def shared(tls: TLSFiles) -> Iterator[RunningEmulator]:
    """One clean emulator for the auth tests (refusals come before the rate limit)."""
    with run_emulator(VENDOR, tls=tls, options=UNLIMITED) as running:
        yield running


# ---------------------------------------------------------------- auth


@pytest.mark.parametrize(
    ("auth", "status"),
    [
        (AUTH, 200),
        (None, 401),
        ((CREDS["username"] + "/token", "00000000-0000-4000-8000-000000000000"), 401),
        ((CREDS["username"], CREDS["api_token"]), 401),  # without the literal '/token'
        (("nobody/token", CREDS["api_token"]), 401),
        (LIMITED, 403),
    ],
)
def test_only_a_full_access_username_slash_token_with_the_company_token_is_served(
    shared: RunningEmulator, auth: tuple[str, str] | None, status: int
) -> None:
    with client_for(shared, auth=auth) as api:
        response = api.get("/clients")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    if status == 200:
        assert isinstance(response.json(), list) and len(response.json()) == 100
    else:
        assert error_violations(response.json()) == []
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Basic")


@pytest.mark.parametrize("header", ["Bearer abc", "Basic !!!not-base64", "Basic"])
def test_a_malformed_authorization_header_gets_401(shared: RunningEmulator, header: str) -> None:
    with client_for(shared, headers={"Authorization": header}) as api:
        response = api.get("/clients")
    assert response.status_code == 401
    assert error_violations(response.json()) == []


def test_refused_credentials_are_checked_before_the_route(shared: RunningEmulator) -> None:
    with client_for(shared) as api:
        assert api.get("/no-such-resource-trk").status_code == 401


# ---------------------------------------------------------------- rate limit


def test_a_second_request_in_the_same_second_gets_429_with_an_error_message(start: Start) -> None:
    emu = start(VENDOR, clock=frozen())
    with client_for(emu, auth=AUTH) as api:
        assert api.get("/users").status_code == 200
        limited = api.get("/users")
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/json"
        assert error_violations(limited.json(), "error-429.schema.json") == []
        assert "1 request per second" in limited.json()["error"]
        undocumented = {"retry-after", "x-ratelimit-limit", "x-ratelimit-remaining"}
        assert undocumented.isdisjoint(limited.headers)
        advance(emu, 1)
        assert api.get("/users").status_code == 200


def test_a_client_spacing_its_calls_one_second_apart_is_never_throttled(start: Start) -> None:
    emu = start(VENDOR, clock=frozen())
    with client_for(emu, auth=AUTH) as api:
        for _ in range(5):
            assert api.get("/cases", params={"per_page": 1}).status_code == 200
            advance(emu, 1)


def test_the_limit_is_per_account_not_per_employee(start: Start) -> None:
    emu = start(VENDOR, clock=frozen())
    other = next(
        u["username"]
        for u in emu_users(emu)
        if u["access_level"] == "Full Access" and u["username"] != CREDS["username"]
    )
    advance(emu, 1)
    with client_for(emu, auth=AUTH) as api:
        assert api.get("/clients").status_code == 200
        assert api.get("/clients", auth=(other + "/token", CREDS["api_token"])).status_code == 429


def emu_users(emu: RunningEmulator) -> list[dict[str, Any]]:
    with client_for(emu, auth=AUTH) as api:
        users: list[dict[str, Any]] = api.get("/users").json()
    return users


def test_a_rate_limited_request_counts_nothing_and_errors_also_count(start: Start) -> None:
    emu = start(VENDOR, clock=frozen())
    with client_for(emu, auth=AUTH) as api:
        assert api.get("/clients?dir=sideways").status_code == 400
        assert api.get("/clients").status_code == 429
        advance(emu, 1)
        assert api.get("/clients").status_code == 200


# ---------------------------------------------------------------- faults


def test_harness_faults_lists_every_trackops_fault_with_its_clause(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["faults", VENDOR]) == 0
    out = capsys.readouterr().out
    for fault in FAULTS:
        assert any(fault.name in line and fault.clause in line for line in out.splitlines())


def test_fault_auth_missing_accepted_serves_a_request_without_credentials(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-auth-missing-accepted",), clock=frozen())
    with client_for(emu) as api:
        assert api.get("/clients").status_code == 200
        advance(emu, 1)
        assert api.get("/clients", auth=(AUTH[0], "wrong")).status_code == 401  # only missing
    set_faults(emu, disable=("trackops-auth-missing-accepted",))
    advance(emu, 1)
    with client_for(emu) as api:
        assert api.get("/clients").status_code == 401


def test_fault_auth_any_token_lets_a_wrong_token_in(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-auth-any-token",), clock=frozen())
    with client_for(emu, auth=(AUTH[0], "not-the-token")) as api:
        assert api.get("/clients").status_code == 200
    with client_for(emu) as api:
        assert api.get("/clients").status_code == 401


def test_fault_auth_limited_allowed_serves_a_limited_access_employee(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-auth-limited-allowed",), clock=frozen())
    with client_for(emu, auth=LIMITED) as api:
        assert api.get("/clients").status_code == 200
    set_faults(emu, disable=("trackops-auth-limited-allowed",))
    advance(emu, 1)
    with client_for(emu, auth=LIMITED) as api:
        assert api.get("/clients").status_code == 403


def test_fault_rate_limit_off_never_answers_429(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-rate-limit-off",), clock=frozen())
    with client_for(emu, auth=AUTH) as api:
        assert [api.get("/users").status_code for _ in range(5)] == [200] * 5
        set_faults(emu, disable=("trackops-rate-limit-off",))
        assert api.get("/users").status_code == 200
        assert api.get("/users").status_code == 429


def test_fault_per_page_uncapped_serves_more_than_100_records(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-per-page-uncapped",), options=UNLIMITED)
    with client_for(emu, auth=AUTH) as api:
        page = api.get("/clients", params={"per_page": 250}).json()
        assert len(page) == 250
        assert default_store().validate("client-list.schema.json", page, vendor=VENDOR) != []
        set_faults(emu, disable=("trackops-per-page-uncapped",))
        assert len(api.get("/clients", params={"per_page": 250}).json()) == 100


def test_fault_default_sort_ascending_serves_oldest_first_without_dir(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-default-sort-ascending",), options=UNLIMITED)
    with client_for(emu, auth=AUTH) as api:
        default = api.get("/cases").json()
        assert default == api.get("/cases", params={"dir": "asc"}).json()
        assert default != api.get("/cases", params={"dir": "desc"}).json()
        set_faults(emu, disable=("trackops-default-sort-ascending",))
        assert api.get("/cases").json() == api.get("/cases", params={"dir": "desc"}).json()


def test_fault_pages_overlap_repeats_a_record_across_pages(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-pages-overlap",), options=UNLIMITED)
    with client_for(emu, auth=AUTH) as api:
        first = api.get("/clients", params={"page": 1}).json()
        second = api.get("/clients", params={"page": 2}).json()
        assert second[0] == first[-1]
        pages = [api.get("/clients", params={"page": n}).json() for n in (1, 2, 3, 4)]
        assert [len(p) for p in pages] == [100, 100, 60, 0]  # sizes and the end as when clean
        ids = [r["id"] for p in pages for r in p]
        assert len(ids) == SIZES["clients"] > len(set(ids))
        oldest = api.get("/clients", params={"dir": "asc", "per_page": 1}).json()[0]
        assert oldest["id"] not in ids  # never served
        set_faults(emu, disable=("trackops-pages-overlap",))
        clean = api.get("/clients", params={"page": 2}).json()
        assert clean[0] != first[-1]


def test_fault_timestamps_plus_two_serves_local_times_at_the_same_instant(start: Start) -> None:
    emu = start(VENDOR, faults=("trackops-timestamps-plus-two",), options=UNLIMITED)
    with client_for(emu, auth=AUTH) as api:
        broken = api.get("/clients", params={"per_page": 5}).json()
        set_faults(emu, disable=("trackops-timestamps-plus-two",))
        clean = api.get("/clients", params={"per_page": 5}).json()
    store = default_store()
    for schema in ("client-list.z-suffix.schema.json", "client-list.utc-offset.schema.json"):
        assert store.validate(schema, broken, vendor=VENDOR) != []
        assert store.validate(schema, clean, vendor=VENDOR) == []
    for bad, good in zip(broken, clean, strict=True):
        assert bad["created"].endswith("+02:00")
        assert datetime.fromisoformat(bad["created"]) == datetime.fromisoformat(good["created"])


@pytest.mark.parametrize(
    "params", [{"dir": "sideways"}, {"per_page": "abc"}, {"no_such_filter_trk": "1"}]
)
def test_fault_invalid_params_ignored_answers_200_instead_of_400(
    start: Start, params: dict[str, str]
) -> None:
    emu = start(VENDOR, faults=("trackops-invalid-params-ignored",), options=UNLIMITED)
    with client_for(emu, auth=AUTH) as api:
        ignored = api.get("/clients", params=params)
        assert ignored.status_code == 200
        assert ignored.json() == api.get("/clients").json()
        set_faults(emu, disable=("trackops-invalid-params-ignored",))
        assert api.get("/clients", params=params).status_code == 400


# ---------------------------------------------------------------- target file


def test_the_target_file_the_emulator_writes_loads_with_its_credentials(
    start: Start, tmp_path: Path
) -> None:
    emu = start(VENDOR, options=UNLIMITED)
    target = load_target(emu.write_target(tmp_path / "trackops.toml"))
    assert dict(target.credentials) == CREDS
    context = ssl.create_default_context(cafile=str(target.ca_bundle))
    with httpx.Client(verify=context, auth=AUTH) as api:
        assert api.get(target.base_url + "/clients").status_code == 200
