"""The vendor's published Ruby client would work unchanged against the ITRP emulator.

``RubyClient`` replays, call for call, the gem itrp-client (itrp/itrp-client):
``lib/itrp/client.rb`` builds every request (``expand_path``: a path without a leading
``/`` gets one and ``/v1`` is prepended unless the path already starts with a version;
parameters appended in order as ``key=value``; ``expand_header``: ``Content-Type:
application/json`` on every request, ``X-ITRP-Account`` when an account is configured,
``Authorization: Basic base64("<api_token>:x")``; ``post`` sends POST and ``put``/``patch``
send PATCH with the data as a JSON body; ``each`` asks ``per_page=100&page=1`` and follows
the path of the ``rel="next"`` link). ``lib/itrp/client/response.rb`` reads every answer
(``json``: 204 is ``{}``, otherwise the parsed body; ``valid?``: no ``message`` key;
``pagination_link`` parses the Link header with the client's own regular expression;
``per_page``, ``current_page``, ``total_pages``, ``total_entries`` from X-Pagination-*).

The scenarios are the client's README (minimal example, browse and paginate a collection,
update with a note) and its spec (spec/lib/itrp/client_spec.rb: the headers, ``each`` with
``fields``); the assertions are on the fields and headers the client reads.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from harness.emulators import RunningEmulator, make_tls, run_emulator
from harness.emulators.itrp import credentials

MAX_PAGE_SIZE = 100  # Itrp::Client::MAX_PAGE_SIZE
API_VERSION = "v1"  # the api_version option's default


class RubyResponse:
    """Itrp::Response: how the client reads an answer."""

    def __init__(self, raw: httpx.Response) -> None:
        self.raw = raw
        if raw.status_code == 204:
            data: Any = {}
        elif not raw.content.strip():
            data = {"message": raw.reason_phrase or "empty body"}
        else:
            try:
                data = json.loads(raw.content)
            except ValueError as exc:
                data = {"message": f"Invalid JSON - {exc}"}
        if isinstance(data, dict) and len(data) == 1 and data.get("message") == "OK":
            data = {}
        if not raw.is_success and isinstance(data, dict):
            data["message"] = f"{raw.status_code}: {data.get('message')}"
        self.json = data

    @property
    def message(self) -> Any:
        return self.json.get("message") if isinstance(self.json, dict) else None

    def valid(self) -> bool:
        return self.message is None

    def __getitem__(self, key: str) -> Any:
        if isinstance(self.json, list):
            return [r.get(key) if isinstance(r, dict) else None for r in self.json]
        return self.json.get(key)

    def _int_header(self, name: str) -> int:
        value = self.raw.headers.get(name, "")
        return int(value) if value.strip().lstrip("-").isdigit() else 0  # Ruby's to_i

    def per_page(self) -> int:
        return self._int_header("X-Pagination-Per-Page")

    def current_page(self) -> int:
        return self._int_header("X-Pagination-Current-Page")

    def total_pages(self) -> int:
        return self._int_header("X-Pagination-Total-Pages")

    def total_entries(self) -> int:
        return self._int_header("X-Pagination-Total-Entries")

    def pagination_link(self, relation: str) -> str | None:
        """``split(/,\\s*<?/)`` then ``/^\\s*<?(.*?)>?;\\s*rel="relation"\\s*$/``."""
        header = self.raw.headers.get("Link")
        if header is None:
            return None
        pattern = re.compile(rf'^\s*<?(.*?)>?;\s*rel="{relation}"\s*$')
        found = [m.group(1) for part in re.split(r",\s*<?", header) if (m := pattern.match(part))]
        return found[0] if found else None

    def pagination_relative_link(self, relation: str) -> str | None:
        link = self.pagination_link(relation)
        match = re.match(r"^https?://[^/]*(.*)", link) if link else None
        return match.group(1) if match else None

    def throttled(self) -> bool:
        return self.raw.status_code == 429 or "Too Many Requests" in str(self.message or "")


class RubyClient:
    """Itrp::Client, for the calls the README and the spec make."""

    def __init__(self, http: httpx.Client, host: str, api_token: str, account: str | None = None):
        self.http = http
        self.host = host
        self.api_token = api_token
        self.account = account
        self.sent: list[httpx.Request] = []

    def get(self, path: str, params: dict[str, Any] | None = None) -> RubyResponse:
        return self._send("GET", self._expand_path(path, params or {}))

    def post(self, path: str, data: dict[str, Any]) -> RubyResponse:
        return self._send("POST", self._expand_path(path), json.dumps(data).encode())

    def put(self, path: str, data: dict[str, Any]) -> RubyResponse:
        return self._send("PATCH", self._expand_path(path), json.dumps(data).encode())

    def each(self, path: str, params: dict[str, Any], block: Callable[[Any], None]) -> int:
        next_path: str | None = self._expand_path(
            path, {"per_page": MAX_PAGE_SIZE, "page": 1, **params}
        )
        size = 0
        while next_path:
            response = self.get(next_path)
            assert response.valid(), response.message  # raise ::Itrp::Exception
            for resource in response.json:
                block(resource)
            size += len(response.json)
            next_path = response.pagination_relative_link("next")
        return size

    def _expand_path(self, path: str, params: dict[str, Any] | None = None) -> str:
        if not path.startswith("/"):
            path = "/" + path
        if not re.match(r"^/v[\d.]+/", path):
            path = f"/{API_VERSION}{path}"
        for key, value in (params or {}).items():
            path += "&" if "?" in path else "?"
            path += f"{quote(str(key), safe='=')}={self._typecast(value)}"
        return path

    @staticmethod
    def _typecast(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ",".join(RubyClient._typecast(v) for v in value)
        return quote(str(value), safe=",")

    def _headers(self) -> dict[str, str]:
        header = {"Content-Type": "application/json"}
        if self.account:
            header["X-ITRP-Account"] = self.account
        secret = base64.b64encode(f"{self.api_token}:x".encode()).decode()
        header["AUTHORIZATION"] = "Basic " + secret
        return header

    def _send(self, method: str, path: str, body: bytes | None = None) -> RubyResponse:
        request = self.http.build_request(
            method, self.host + path, headers=self._headers(), content=body
        )
        self.sent.append(request)
        return RubyResponse(self.http.send(request))


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    tls = make_tls(Path(tmp_path_factory.mktemp("tls")))
    with run_emulator("itrp", tls=tls) as emu:
        yield emu


@pytest.fixture(scope="module")
def http(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    context = ssl.create_default_context(cafile=str(emulator.tls.ca))
    with httpx.Client(verify=context, timeout=10) as client:
        yield client


@pytest.fixture
def client(emulator: RunningEmulator, http: httpx.Client) -> RubyClient:
    return RubyClient(http, emulator.origin, credentials()["api_token"])


def test_the_minimal_example_reads_the_primary_email_of_me(client: RubyClient) -> None:
    response = client.get("me")
    sent = client.sent[-1]
    assert sent.url.path == "/v1/me"
    assert sent.headers["content-type"] == "application/json"
    user, _, password = base64.b64decode(sent.headers["authorization"][6:]).decode().partition(":")
    assert (user, password) == (credentials()["api_token"], "x")
    assert response.valid() and response["primary_email"] == credentials()["email"]
    assert isinstance(response["site"], dict) and response["site"]["name"]


def test_each_follows_the_next_links_from_page_one_at_a_hundred_records(
    client: RubyClient,
) -> None:
    seen: list[dict[str, Any]] = []
    count = client.each("requests", {"fields": "subject"}, seen.append)
    first = client.sent[0]
    assert first.url.path == "/v1/requests"
    assert first.url.query.decode() == "per_page=100&page=1&fields=subject"
    total = client.get("requests").total_entries()
    assert count == len(seen) == total > MAX_PAGE_SIZE
    assert len({r["id"] for r in seen}) == total
    assert all(set(r) == {"id", "subject"} and r["subject"] for r in seen)


def test_paginating_by_hand_reads_the_page_headers_and_every_relation(client: RubyClient) -> None:
    response = client.get("requests", {"per_page": 10, "page": 2})
    assert response.valid() and len(response.json) == 10
    assert (response.current_page(), response.per_page()) == (2, 10)
    assert response.total_pages() == -(-response.total_entries() // 10)
    links = {rel: response.pagination_link(rel) for rel in ("first", "prev", "next", "last")}
    assert all(link and link.startswith("https://") for link in links.values()), links
    prev_page = client.get(str(response.pagination_relative_link("prev")))
    last_page = client.get(str(response.pagination_relative_link("last")))
    assert prev_page.current_page() == 1 and prev_page.valid()
    assert last_page.current_page() == response.total_pages()
    assert last_page.pagination_link("next") is None


def test_a_configured_account_reads_that_accounts_records(
    emulator: RunningEmulator, http: httpx.Client
) -> None:
    client = RubyClient(http, emulator.origin, credentials()["api_token"], account="wna")
    response = client.get("sites", {"fields": "name"})
    assert client.sent[-1].headers["x-itrp-account"] == "wna"
    assert response.valid()
    assert "Widget Data Center" in response["name"]
    assert all(set(site) == {"id", "name"} for site in response.json)


def test_post_and_put_send_json_and_answer_the_record(client: RubyClient) -> None:
    created = client.post("requests", {"subject": "Printer on fire", "category": "incident"})
    assert client.sent[-1].method == "POST"
    assert json.loads(client.sent[-1].content) == {
        "subject": "Printer on fire",
        "category": "incident",
    }
    assert created.valid() and isinstance(created["id"], int)
    note = "Please complete the attached forms and reassign the request back to us."
    updated = client.put(
        f"requests/{created['id']}", {"status": "waiting_for_customer", "note": note}
    )
    assert client.sent[-1].method == "PATCH"
    assert updated.valid() and updated["id"] == created["id"]
    assert updated["status"] == "waiting_for_customer"


def test_errors_carry_the_message_the_client_reports(client: RubyClient) -> None:
    refused = client.post("requests", {"impact": "medium"})
    assert not refused.valid() and refused.message == "422: Validation Failed"
    assert ["subject", "Subject can't be blank"] in refused.json["errors"]
    missing = client.get("requests/999999")
    assert missing.message == "404: Not Found"
    bad = client.get("requests", {"per_page": -10})
    assert bad.message.startswith("400: ") and "per_page" in bad.message
