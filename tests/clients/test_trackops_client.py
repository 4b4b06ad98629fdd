"""The vendor's own PHP client would work unchanged against the Trackops emulator.

``PhpClient`` replays, call for call, the published client trackops/trackops-client-php
(v0.2.0), ``src/Api/GuzzleRequest.php``: the base URI ``https://{subdomain}.viewcases.com/api``
+ ``/v1/`` with paths relative to it (``cases``, ``expense/entries``), HTTP Basic auth with
``{username}/token`` and the API token, the headers ``Accept: application/json`` and
``User-Agent: trackops-client-php/0.2.0 <Guzzle's>``, ``get()`` parameters as the query
string (PHP ``http_build_query`` order), ``count()`` as ``get()`` plus ``mode=count``,
``post()`` the array as a JSON body (Guzzle's ``json`` option: ``json_encode``, with
``Content-Type: application/json``), and any 4xx/5xx raised (Guzzle's ``http_errors``).
Every body is read with ``json_decode($body, true)``.

The scenarios are the client's README and its two examples,
``examples/expense_entry_export_example.php`` (count, then pages until one holds fewer than
per_page records, sleeping 2 s between calls) and ``examples/create_case_example.php``; the
assertions are on the fields they read.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock, make_tls, run_emulator
from harness.emulators.trackops import credentials

EPOCH = 1_750_000_000
CLIENT_NAME, CLIENT_VERSION = "trackops-client-php", "0.2.0"
GUZZLE_AGENT = "GuzzleHttp/6.3.3 curl/7.64.0 PHP/7.3.6"  # GuzzleHttp\default_user_agent()


class PhpClient:
    """Trackops\\Api\\GuzzleRequest, method for method."""

    def __init__(self, http: httpx.Client, origin: str, username: str, token: str) -> None:
        self.http = http
        self.base_uri = origin + "/api" + "/" + "v1" + "/"  # $this->url.'/'.$this->version.'/'
        self.username = username + "/token"  # $this->username = $username.'/token'
        self.token = token
        self.sent: list[httpx.Request] = []

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._execute("GET", path, query=params or {})

    def post(self, path: str, params: dict[str, Any]) -> Any:
        return self._execute("POST", path, json_body=params)

    def count(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.get(path, {**(params or {}), "mode": "count"})  # array_merge

    def _execute(
        self,
        method: str,
        path: str,
        query: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> Any:
        secret = base64.b64encode(f"{self.username}:{self.token}".encode()).decode()
        headers = {
            "Accept": "application/json",
            "User-Agent": f"{CLIENT_NAME}/{CLIENT_VERSION} {GUZZLE_AGENT}",
            "Authorization": f"Basic {secret}",  # Guzzle 'auth' => [user, token]
        }
        content = None
        if json_body is not None:  # Guzzle 'json': json_encode, compact, slashes escaped
            content = json.dumps(json_body, separators=(",", ":")).replace("/", "\\/").encode()
            headers["Content-Type"] = "application/json"
        url = httpx.URL(self.base_uri).join(path)  # a relative path resolved on base_uri
        request = self.http.build_request(
            method, url, params=_php_query(query or {}), headers=headers, content=content
        )
        self.sent.append(request)
        response = self.http.send(request)
        response.raise_for_status()  # a TransferException becomes a RequestException
        return json.loads(response.content)  # toArray(): json_decode($body, true)


def _php_query(params: dict[str, Any]) -> httpx.QueryParams:
    """http_build_query of a flat array: in order, integers as digits."""
    return httpx.QueryParams([(k, str(v)) for k, v in params.items()])


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    tls = make_tls(Path(tmp_path_factory.mktemp("tls")))
    clock = VirtualClock(EPOCH, flowing=False)  # the client's sleep(2) moves this clock
    with run_emulator("trackops", tls=tls, clock=clock) as emu:
        yield emu


@pytest.fixture
def api(emulator: RunningEmulator) -> Iterator[PhpClient]:
    context = ssl.create_default_context(cafile=str(emulator.tls.ca))
    creds = credentials()
    with httpx.Client(verify=context, timeout=10) as http:
        yield PhpClient(http, emulator.origin, creds["username"], creds["api_token"])


def sleep(emulator: RunningEmulator, seconds: float) -> None:
    """The example's sleep(2) 'to prevent API throttling', on the emulator's clock."""
    emulator.ctx.clock.advance(seconds)


def test_the_client_builds_its_urls_headers_and_auth_as_guzzle_sends_them(
    emulator: RunningEmulator, api: PhpClient
) -> None:
    sleep(emulator, 2)
    params = {"from": "2016-01-01", "to": "2016-01-31", "dir": "asc", "per_page": 1, "page": 1}
    api.get("cases", params)
    sent = api.sent[-1]
    assert str(sent.url) == (
        emulator.origin + "/api/v1/cases?from=2016-01-01&to=2016-01-31&dir=asc&per_page=1&page=1"
    )
    user, _, token = base64.b64decode(sent.headers["authorization"][6:]).decode().partition(":")
    assert (user, token) == ("samspade/token", credentials()["api_token"])
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["user-agent"].startswith("trackops-client-php/0.2.0 ")


def test_the_readme_calls_answer_case_records_and_counts(
    emulator: RunningEmulator, api: PhpClient
) -> None:
    sleep(emulator, 2)
    records = api.get("cases")
    assert isinstance(records, list) and len(records) == 100
    assert all(isinstance(r["id"], int) for r in records)
    sleep(emulator, 2)
    one = api.get("cases", {"from": "2025-01-01", "dir": "asc", "per_page": 1, "page": 1})
    assert len(one) == 1 and one[0]["created"] >= "2025-01-01"
    sleep(emulator, 2)
    counts = api.count("cases", {"from": "2025-01-01", "to": "2025-01-31"})
    assert set(counts) == {"record_count", "page_count"}
    assert counts["record_count"] > 0


def test_the_expense_export_example_reads_every_field_of_every_entry_page_by_page(
    emulator: RunningEmulator, api: PhpClient
) -> None:
    params: dict[str, Any] = {
        "from": "2025-01-01",
        "to": "2025-03-31",
        "dir": "asc",
        "per_page": 40,
        "page": 1,
    }
    sleep(emulator, 2)
    counts = api.count("expense/entries", params)
    rows: list[list[Any]] = []
    while True:
        sleep(emulator, 2)
        records = api.get("expense/entries", params)
        for record in records:
            entry = [record["formatted_entry_number"], record["entry_date"], record["User"]["name"]]
            for detail in record["ExpenseDetails"]:
                rows.append(
                    [
                        *entry,
                        detail["FinanceItem"]["expense_alias"],
                        detail["notes"],
                        detail["rate"],
                        detail["quantity"],
                        detail["total"],
                    ]
                )
        if len(records) < params["per_page"]:
            break
        params["page"] += 1
    assert params["page"] == counts["page_count"] >= 2
    numbers = {row[0] for row in rows}
    assert len(numbers) == counts["record_count"]
    assert all("2025-01-01" <= row[1] <= "2025-03-31" for row in rows)
    in_order = list(dict.fromkeys(row[0] for row in rows))
    assert in_order == sorted(in_order), "dir=asc: oldest entries (lowest numbers) first"
    assert all(float(row[7]) == pytest.approx(float(row[5]) * float(row[6])) for row in rows)


def test_the_create_case_example_posts_a_casefile_and_the_case_is_then_listed(
    emulator: RunningEmulator, api: PhpClient
) -> None:
    request = {
        "casefile": {
            "case_type_id": 1,
            "client_id": 4,
            "primary_contact_id": 2,
            "case_region_id": 1,
            "company_location_id": 2,
            "created_on": "2019-06-14",
            "due_on": "2019-06-21",
            "reference_value_1": "ClaimNumber123",
            "reference_value_2": "AltClaimNumber456",
            "reference_value_3": "SomeOtherReference",
            "case_location": "Denver, CO",
            "budget_money": 1500.00,
            "budget_hours": 8,
            "notes": "Determine if the claimant is injured.",
            "scheduling_notes": "Schedule surveillance for 1 weekday and 1 weekend day.",
            "admin_notes": "Created by the API",
            "case_services_list": [1, 2],
            "case_flags_list": [1],
            "custom_fields": [
                {"id": 1, "value": "field 1 value here"},
                {"id": 2, "value": "field 2 value here"},
            ],
            "subjects": [
                {
                    "subject_type_id": 1,
                    "is_primary": True,
                    "is_pinned": True,
                    "custom_fields": [
                        {"id": 1, "value": {"first_name": "John", "last_name": "Doe"}},
                        {"id": 2, "value": "Big John"},
                    ],
                }
            ],
        }
    }
    sleep(emulator, 2)
    created = api.post("cases", request)
    sent = api.sent[-1]
    assert sent.method == "POST" and sent.url.path == "/api/v1/cases"
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.content) == request
    assert isinstance(created["id"], int)
    assert created["reference_value_1"] == "ClaimNumber123"
    assert created["User"]["name"] == "Sam Spade"  # attributed to the API user
    sleep(emulator, 2)
    assert api.get("cases", {"per_page": 1})[0]["id"] == created["id"]  # newest first


def test_a_refusal_is_an_error_status_the_client_raises_on(
    emulator: RunningEmulator, api: PhpClient
) -> None:
    sleep(emulator, 2)
    with pytest.raises(httpx.HTTPStatusError) as refused:
        api.post("cases", {"casefile": {"notes": "no client, no case type"}})
    assert refused.value.response.status_code == 400
    assert "error" in refused.value.response.json()
    sleep(emulator, 2)
    with pytest.raises(httpx.HTTPStatusError) as missing:
        api.get("expenses")  # not published: expense entries live at expense/entries
    assert missing.value.response.status_code == 404
