"""The Trackops emulator: routes and schemas, pagination, filters, mode=count, errors."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime
from typing import Any

import httpx
import pytest

from harness.emulators import VirtualClock, build_app
from harness.emulators._base import EmulatorContext
from harness.emulators._faults import FaultSwitch
from harness.emulators.trackops import FAULTS, credentials
from harness.emulators.trackops import _app as trackops_app
from harness.emulators.trackops._data import LIMITED_USERNAME, SIZES, build_dataset, render
from harness.profiles import load_profile
from harness.validation import default_store
from tests.emulators.conftest import ModuleEmulator

VENDOR = "trackops"
CREDS = credentials()
AUTH = (CREDS["username"] + "/token", CREDS["api_token"])
COLLECTIONS = {"clients": "client", "cases": "case", "users": "user", "expenses": "expense"}
# where each collection is served: expense entries at the client's expense/entries
PATHS = {
    "clients": "/clients",
    "cases": "/cases",
    "users": "/users",
    "expenses": "/expense/entries",
}
READINGS = ("", ".z-suffix", ".utc-offset")  # lenient schema and both readings of TRK-TIME-UTC
STORE = default_store()
# a high limit for this module; the documented 1 request/second is tested on its own
EMULATOR = ModuleEmulator(VENDOR, client={"auth": AUTH}, options={"rate_limits": {"all": 100000}})


def violations(schema: str, instance: Any) -> list[str]:
    return [str(v) for v in STORE.validate(schema, instance, vendor=VENDOR)]


def assert_valid(kind: str, instance: Any) -> None:
    """Valid against the lenient schema of ``kind`` and against both timestamp readings."""
    for reading in READINGS:
        assert violations(f"{kind}{reading}.schema.json", instance) == []


def walk(api: httpx.Client, path: str, per_page: int | None, **params: Any) -> list[list[Any]]:
    """Every page of a collection until the documented end signal (a short or empty page)."""
    pages: list[list[Any]] = []
    size = per_page or 100
    while True:
        query = {**params, "page": len(pages) + 1}
        if per_page is not None:
            query["per_page"] = per_page
        response = api.get(path, params=query)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        if len(pages[-1]) < size:
            return pages
        assert len(pages) < 400, "the walk does not end"


def created_key(record: dict[str, Any]) -> tuple[datetime, int]:
    return datetime.fromisoformat(record["created"]), record["id"]


# ---------------------------------------------------------------- data and schemas


def test_every_seeded_record_validates_against_its_schema_in_both_timestamp_readings() -> None:
    _, ctx = build_app(VENDOR)
    data = build_dataset(ctx)
    for collection, kind in COLLECTIONS.items():
        records = [render(r) for r in data.collection(collection)]
        assert len(records) == SIZES[collection]
        for record in records:
            assert_valid(kind, record)


def test_the_main_collections_are_big_enough_for_multi_page_walks() -> None:
    assert SIZES["clients"] >= 250 and SIZES["cases"] >= 250
    assert load_profile(VENDOR).main_operation.path == "/clients"


def test_the_seeded_data_is_deterministic_for_a_seed() -> None:
    first = build_dataset(build_app(VENDOR, seed=7)[1])
    again = build_dataset(build_app(VENDOR, seed=7)[1])
    other = build_dataset(build_app(VENDOR, seed=8)[1])
    assert first.clients == again.clients
    assert first.clients != other.clients


def test_every_collection_route_answers_a_bare_array_valid_against_its_schema(
    api: httpx.Client,
) -> None:
    for collection, kind in COLLECTIONS.items():
        response = api.get(PATHS[collection])
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert isinstance(body, list) and len(body) == min(100, SIZES[collection])
        assert_valid(f"{kind}-list", body)


def test_every_object_route_answers_the_listed_record_valid_against_its_schema(
    api: httpx.Client,
) -> None:
    for collection, kind in (("clients", "client"), ("cases", "case"), ("expenses", "expense")):
        listed = api.get(PATHS[collection], params={"per_page": 3}).json()
        for record in listed:
            response = api.get(f"{PATHS[collection]}/{record['id']}")
            assert response.status_code == 200
            assert response.json() == record
            assert_valid(kind, response.json())


def test_mode_count_answers_record_and_page_counts_valid_against_the_count_schema(
    api: httpx.Client,
) -> None:
    for collection in COLLECTIONS:
        body = api.get(PATHS[collection], params={"mode": "count"}).json()
        assert violations("count.schema.json", body) == []
        assert body == {
            "record_count": SIZES[collection],
            "page_count": math.ceil(SIZES[collection] / 100),
        }


def test_timestamps_are_utc_with_a_z_and_related_records_nest_under_capitalised_keys(
    api: httpx.Client,
) -> None:
    case = api.get("/cases", params={"per_page": 1}).json()[0]
    assert case["created"].endswith("Z") and case["updated"].endswith("Z")
    assert isinstance(case["Client"]["id"], int) and isinstance(case["User"]["id"], int)
    client = api.get(f"/clients/{case['Client']['id']}").json()
    assert client["name"] == case["Client"]["name"]
    expense = api.get("/expense/entries", params={"per_page": 1}).json()[0]
    assert isinstance(expense["User"]["id"], int) and isinstance(expense["Case"]["id"], int)


def test_a_trailing_slash_is_served_like_the_plain_path(api: httpx.Client) -> None:
    assert (
        api.get("/clients/", params={"per_page": 5}).json()
        == api.get("/clients", params={"per_page": 5}).json()
    )


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no-such-resource-trk", 404),
        ("GET", "/clients/999999", 404),
        ("GET", "/cases/not-a-number", 404),
        ("GET", "/", 404),
        ("POST", "/clients", 405),
        ("DELETE", "/cases/1501", 405),
        ("GET", "/clients?dir=sideways", 400),
        ("GET", "/clients/1001?per_page=5", 400),
    ],
)
def test_every_error_status_has_a_json_error_body_valid_against_the_error_schema(
    api: httpx.Client, method: str, path: str, status: int
) -> None:
    response = api.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert violations("error.schema.json", response.json()) == []


def test_a_server_error_is_a_json_500_valid_against_the_error_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, ctx = build_app(VENDOR)
    data = build_dataset(ctx)
    data.by_id = {}  # the id index is lost: looking a client up raises KeyError
    monkeypatch.setattr(trackops_app, "build_dataset", lambda ctx: data)
    broken = trackops_app.create_app(ctx)

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=broken, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="https://emu") as client:
            return await client.get("/api/v1/clients/1001", auth=AUTH)

    response = asyncio.run(go())
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert violations("error.schema.json", response.json()) == []


@pytest.mark.parametrize(
    "params",
    [
        {"dir": "sideways"},
        {"dir": ""},
        {"per_page": "abc"},
        {"per_page": "0"},
        {"per_page": "-5"},
        {"per_page": ""},
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"mode": "list"},
        {"from": "yesterday"},
        {"updated_to": "2024-13-45"},
        {"no_such_filter_trk": "1"},
        {"client": "1001"},  # a filter of /cases, not of /clients
        {"client_id": "1001"},  # no such filter anywhere (the reference names it client)
    ],
)
def test_bad_paging_values_and_unknown_parameter_names_get_400(
    api: httpx.Client, params: dict[str, str]
) -> None:
    response = api.get("/clients", params=params)
    assert response.status_code == 400
    assert violations("error.schema.json", response.json()) == []
    assert next(iter(params)) in response.json()["error"]


def test_a_parameter_given_twice_gets_400(api: httpx.Client) -> None:
    assert api.get("/clients?page=1&page=2").status_code == 400


# ---------------------------------------------------------------- pagination


@pytest.mark.parametrize("collection", list(COLLECTIONS))
@pytest.mark.parametrize("per_page", [None, 30, 100])
def test_walking_every_page_yields_every_record_once_newest_first(
    api: httpx.Client, collection: str, per_page: int | None
) -> None:
    pages = walk(api, PATHS[collection], per_page)
    size = per_page or 100
    assert all(len(page) == size for page in pages[:-1])
    assert len(pages[-1]) < size  # the documented end: a short (or empty) page
    records = [r for page in pages for r in page]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == SIZES[collection]
    assert records == sorted(records, key=created_key, reverse=True)
    for page in pages:
        assert_valid(f"{COLLECTIONS[collection]}-list", page)


def test_small_page_sizes_cut_the_same_order_into_smaller_pages(api: httpx.Client) -> None:
    everything = [r for p in walk(api, "/users", 100) for r in p]
    sevens = walk(api, "/users", 7)
    assert [len(p) for p in sevens] == [7] * (SIZES["users"] // 7) + [SIZES["users"] % 7]
    assert [r for p in sevens for r in p] == everything
    ones = [api.get("/users", params={"per_page": 1, "page": n}).json() for n in (1, 2, 45, 46)]
    assert ones == [[everything[0]], [everything[1]], [everything[44]], []]


def test_a_page_past_the_end_is_an_empty_array_with_200(api: httpx.Client) -> None:
    response = api.get("/clients", params={"page": 999})
    assert response.status_code == 200 and response.json() == []
    exact = api.get("/clients", params={"per_page": 10, "page": SIZES["clients"] // 10 + 1})
    assert SIZES["clients"] % 10 == 0 and exact.json() == []


def test_per_page_above_100_is_clamped_to_100(api: httpx.Client) -> None:
    capped = api.get("/cases", params={"per_page": 250})
    assert capped.status_code == 200
    assert capped.json() == api.get("/cases", params={"per_page": 100}).json()
    count = api.get("/cases", params={"per_page": 250, "mode": "count"}).json()
    assert count["page_count"] == math.ceil(SIZES["cases"] / 100)


def test_dir_asc_is_the_exact_reverse_of_dir_desc_and_desc_is_the_default(
    api: httpx.Client,
) -> None:
    asc = [r for p in walk(api, "/expense/entries", 100, dir="asc") for r in p]
    desc = [r for p in walk(api, "/expense/entries", 100, dir="desc") for r in p]
    default = [r for p in walk(api, "/expense/entries", 100) for r in p]
    assert asc == desc[::-1]
    assert default == desc
    assert asc == sorted(asc, key=created_key)


def test_the_page_parameter_jumps_straight_to_a_page(api: httpx.Client) -> None:
    everything = [r for p in walk(api, "/clients", 100) for r in p]
    third = api.get("/clients", params={"per_page": 20, "page": 3}).json()
    assert third == everything[40:60]


def test_mode_count_agrees_with_the_records_actually_paged(api: httpx.Client) -> None:
    for per_page, params in ((30, {}), (100, {"from": "2025-01-01"}), (7, {"client": "1004"})):
        path = "/cases"
        count = api.get(path, params={**params, "per_page": per_page, "mode": "count"}).json()
        pages = walk(api, path, per_page, **params)
        total = sum(len(p) for p in pages)
        assert count["record_count"] == total
        assert count["page_count"] == math.ceil(total / per_page)
        assert count["page_count"] == len([p for p in pages if p])


# ---------------------------------------------------------------- filters


def test_from_and_to_restrict_to_records_created_in_the_range(api: httpx.Client) -> None:
    everything = [r for p in walk(api, "/clients", 100) for r in p]
    inside = [
        r
        for p in walk(api, "/clients", 100, **{"from": "2025-01-01", "to": "2025-02-28"})
        for r in p
    ]
    expected = [r for r in everything if "2025-01-01" <= r["created"][:10] <= "2025-02-28"]
    assert inside == expected and 0 < len(inside) < len(everything)


def test_updated_from_and_updated_to_restrict_to_records_updated_in_the_range(
    api: httpx.Client,
) -> None:
    everything = [r for p in walk(api, "/cases", 100) for r in p]
    low, high = "2025-03-01 00:00:00", "2025-04-15 12:30:00"
    inside = [r for p in walk(api, "/cases", 100, updated_from=low, updated_to=high) for r in p]
    expected = [
        r for r in everything if "2025-03-01T00:00:00Z" <= r["updated"] <= "2025-04-15T12:30:00Z"
    ]
    assert inside == expected and 0 < len(inside) < len(everything)


def test_a_percent_encoded_date_time_value_is_understood(api: httpx.Client) -> None:
    encoded = api.get("/users?updated_from=2020-01-01%2000%3A00%3A00&per_page=5")
    assert encoded.status_code == 200
    assert encoded.json() == api.get("/users", params={"per_page": 5}).json()


def test_related_record_filters_select_the_records_of_that_record(api: httpx.Client) -> None:
    case = api.get("/cases", params={"per_page": 1}).json()[0]
    of_client = api.get("/cases", params={"client": case["Client"]["id"]}).json()
    assert case in of_client and {c["Client"]["id"] for c in of_client} == {case["Client"]["id"]}
    charged = api.get("/expense/entries", params={"per_page": 1}).json()[0]["Case"]["id"]
    spent = api.get("/expense/entries", params={"case": charged, "per_page": 100}).json()
    assert spent and all(e["Case"]["id"] == charged for e in spent)
    approved = api.get("/expense/entries", params={"status": "approved"}).json()
    assert approved and {e["status"] for e in approved} == {"approved"}


def test_on_expense_entries_from_and_to_bound_the_entry_date_as_the_reference_says(
    api: httpx.Client,
) -> None:
    window = {"from": "2025-02-01", "to": "2025-02-28"}
    inside = [r for p in walk(api, "/expense/entries", 100, **window) for r in p]
    assert inside and all("2025-02-01" <= r["entry_date"] <= "2025-02-28" for r in inside)
    aliased = [
        r
        for p in walk(api, "/expense/entries", 100, date_from="2025-02-01", date_to="2025-02-28")
        for r in p
    ]
    assert aliased == inside


def test_no_expenses_collection_is_served_as_none_is_published(api: httpx.Client) -> None:
    assert api.get("/expenses").status_code == 404


# ---------------------------------------------------------------- module contract


def test_credentials_are_the_profile_keys_with_a_uuid_token() -> None:
    profile = load_profile(VENDOR)
    assert set(profile.credential_keys) == {"username", "api_token"}
    assert set(CREDS) == {c for scheme in profile.auth for c in scheme.credentials}
    assert CREDS["username"] == "samspade"
    assert len(CREDS["api_token"]) == 36 and CREDS["api_token"].count("-") == 4
    assert CREDS["username"] != LIMITED_USERNAME == CREDS["limited_username"]


def test_the_fault_catalog_names_only_clauses_of_the_catalog() -> None:
    import tomllib

    clauses = tomllib.loads((load_profile(VENDOR).folder / "clauses.toml").read_text())
    ids = {c["id"] for c in clauses["clause"]}
    assert len(FAULTS) >= 6
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    for fault in FAULTS:
        assert fault.name.startswith("trackops-") and fault.clause in ids


def test_the_emulator_context_starts_with_no_fault_active() -> None:
    _, ctx = build_app(VENDOR, clock=VirtualClock(0, flowing=False))
    assert isinstance(ctx, EmulatorContext) and isinstance(ctx.faults, FaultSwitch)
    assert ctx.faults.active == ()
