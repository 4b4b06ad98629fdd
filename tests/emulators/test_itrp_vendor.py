"""ITRP vendor behaviours: .json, Accept, accounts, language, ETag, fields, JSON-P, writes, data."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from harness.emulators import (
    EmulatorContext,
    RunningEmulator,
    VirtualClock,
    build_app,
)
from harness.emulators._faults import FaultSwitch
from harness.emulators.itrp import FAULTS
from harness.emulators.itrp._data import ACCOUNTS, seed_store
from harness.profiles import load_profile
from harness.validation import SchemaStore
from tests.emulators.conftest import ModuleEmulator, client_for, no_delay
from tests.emulators.test_itrp import CREDS, PASSWORD_AUTH, TOKEN_AUTH, links, valid

JSONP = re.compile(r"^(?P<name>[\w$.]+)\((?P<arg>.*)\)$", re.S)


EMULATOR = ModuleEmulator("itrp", client={"auth": TOKEN_AUTH})


@pytest.fixture
def writer(start: Callable[..., RunningEmulator]) -> Iterator[httpx.Client]:
    """A client of a fresh emulator of its own, for tests that change data."""
    with client_for(no_delay(start("itrp")), auth=TOKEN_AUTH) as client:
        yield client


def jsonp(response: httpx.Response, name: str = "foo") -> dict[str, Any]:
    match = JSONP.match(response.text)
    assert match and match["name"] == name, response.text[:200]
    parsed: dict[str, Any] = json.loads(match["arg"])
    return parsed


# ------------------------------------------------------------------ seeded data


def test_every_seeded_record_validates_from_every_trusted_account(store: SchemaStore) -> None:
    ctx = EmulatorContext(load_profile("itrp"), VirtualClock(0, flowing=False), FaultSwitch(FAULTS))
    seeded = seed_store(ctx)
    assert len(seeded.requests_of(ACCOUNTS["widget"])) >= 250
    for account in ("widget", "wna", "weu"):
        viewer = ACCOUNTS[account]
        for req in seeded.requests.values():
            valid(store, "request.schema.json", seeded.render_request(req, viewer))
        for person in seeded.people.values():
            valid(store, "person.schema.json", seeded.render_person(person, viewer))
        for site in seeded.sites.values():
            valid(store, "site.schema.json", seeded.render_site(site, viewer))


def test_seeded_data_is_deterministic_per_seed() -> None:
    def first_subjects(seed: int) -> list[str]:
        ctx = EmulatorContext(load_profile("itrp"), VirtualClock(0), FaultSwitch(FAULTS), seed=seed)
        return [r.subject for r in list(seed_store(ctx).requests.values())[:20]]

    assert first_subjects(1) == first_subjects(1) != first_subjects(2)


# ------------------------------------------------------------------ mime type


def test_the_json_suffix_the_accept_header_and_neither_give_the_same_answer(
    api: httpx.Client,
) -> None:
    plain = api.get("/me")
    suffixed = api.get("/me.json")
    accepted = api.get("/me", headers={"Accept": "application/json"})
    assert plain.json() == suffixed.json() == accepted.json()
    assert plain.headers["content-type"] == "application/json; charset=utf-8"
    assert [r["id"] for r in api.get("/requests.json").json()] == [
        r["id"] for r in api.get("/requests").json()
    ]


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "application/json;q=0"])
def test_an_accept_header_without_json_gets_406(api: httpx.Client, accept: str) -> None:
    response = api.get("/me", headers={"Accept": accept})
    assert response.status_code == 406
    assert response.json() == {"message": "Not Acceptable"}
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_an_accept_header_that_admits_json_is_served(api: httpx.Client) -> None:
    for accept in ("*/*", "application/*", "text/html, application/json;q=0.5"):
        assert api.get("/me", headers={"Accept": accept}).status_code == 200


# ------------------------------------------------------------------ accounts


def test_switching_to_a_trusted_account_lists_its_sites_as_the_document_shows(
    api: httpx.Client,
) -> None:
    wna = api.get("/sites", params={"fields": "name"}, headers={"X-ITRP-Account": "wna"})
    assert wna.json() == [
        {"id": 14, "name": "Widget Data Center"},
        {"id": 15, "name": "Widget International Headquarters"},
        {"id": 16, "name": "Widget Manufacturing Center"},
        {"id": 17, "name": "Widget Research & Development Center"},
    ]
    weu = api.get("/sites", params={"fields": "name"}, headers={"X-ITRP-Account": "weu"})
    assert weu.json() == [{"id": 18, "name": "Widget European Headquarters"}]
    home_ids = {s["id"] for s in api.get("/sites", params={"per_page": 100}).json()}
    assert 13 in home_ids and not home_ids & {14, 15, 16, 17, 18}


def test_an_account_the_user_is_not_trusted_in_is_forbidden(api: httpx.Client) -> None:
    for account in ("acme", "nosuch"):
        response = api.get("/requests", headers={"X-ITRP-Account": account})
        assert response.status_code == 403
        assert response.json() == {"message": "Forbidden"}


def test_records_of_another_account_carry_its_account_hash(api: httpx.Client) -> None:
    home = api.get("/requests", params={"per_page": 100}).json()
    foreign = [r["requested_for"] for r in home if "account" in r["requested_for"]]
    assert foreign, "some home requests are for people of a trusted account"
    assert all(ref["account"]["id"] in ("wna", "weu") for ref in foreign)
    assert all("account" not in r and "account" not in r["requested_by"] for r in home)
    wna_person = next(ref["id"] for ref in foreign if ref["account"]["id"] == "wna")
    seen = api.get(f"/people/{wna_person}").json()
    assert seen["account"] == {"id": "wna", "name": "Widget North America"}
    from_wna = api.get(f"/people/{wna_person}", headers={"X-ITRP-Account": "wna"}).json()
    assert "account" not in from_wna
    me_from_wna = api.get("/me", headers={"X-ITRP-Account": "wna"}).json()
    assert me_from_wna["account"] == {"id": "widget", "name": "Widget Holding"}


# ------------------------------------------------------------------ language


def test_the_language_header_translates_enums_and_english_is_the_default(
    api: httpx.Client, store: SchemaStore
) -> None:
    dutch = api.get("/enums", headers={"X-ITRP-Language": "nl"}).json()
    english = api.get("/enums").json()
    valid(store, "enums.schema.json", dutch)
    assert dutch["request.status"][:3] == [
        {"id": "declined", "txt": "Geweigerd"},
        {"id": "assigned", "txt": "Toegewezen"},
        {"id": "accepted", "txt": "Geaccepteerd"},
    ]
    assert english["request.status"][0] == {"id": "declined", "txt": "Declined"}
    ids = [e["id"] for e in english["request.status"]]
    assert [e["id"] for e in dutch["request.status"]] == ids


def test_enums_list_the_documented_language_codes(api: httpx.Client) -> None:
    languages = api.get("/enums").json()["language"]
    assert languages[:5] == [
        {"id": "en-US", "txt": "English (United States)"},
        {"id": "nl", "txt": "Nederlands"},
        {"id": "fr", "txt": "Francais"},
        {"id": "da", "txt": "Dansk"},
        {"id": "et", "txt": "Eesti"},
    ]


# ------------------------------------------------------------------ ETag / 304, fields


def test_a_get_repeating_the_etag_answers_304_with_an_empty_body(api: httpx.Client) -> None:
    first = api.get("/me")
    tag = first.headers["etag"]
    for sent in ({"If-None-Match": tag}, {"Etag": tag}, {"If-None-Match": tag.strip('"')}):
        again = api.get("/me", headers=sent)
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == tag
        assert again.headers["content-type"] == "application/json; charset=utf-8"
        assert "x-ratelimit-remaining" in again.headers
    assert api.get("/me", headers={"If-None-Match": '"1234567890"'}).status_code == 200


def test_fields_keeps_the_named_attributes_and_always_the_id(api: httpx.Client) -> None:
    page = api.get("/requests", params={"fields": "subject, status"}).json()
    assert all(set(r) == {"id", "subject", "status"} for r in page)
    assert set(api.get("/me", params={"fields": "name"}).json()) == {"id", "name"}
    assert set(api.get("/people/5", params={"fields": "nonsense"}).json()) == {"id"}


# ------------------------------------------------------------------ JSON-P


def test_a_callback_wraps_the_answer_with_meta_headers_and_parsed_links(
    api: httpx.Client, store: SchemaStore
) -> None:
    plain = api.get("/requests", params={"page": 2})
    wrapped = api.get("/requests", params={"page": 2, "callback": "foo"})
    assert wrapped.status_code == 200
    arg = jsonp(wrapped)
    valid(store, "jsonp-envelope.schema.json", arg)
    problems = store.validate_headers("headers-jsonp.schema.json", dict(wrapped.headers), "itrp")
    assert not problems
    meta = arg["meta"]
    assert meta["status"] == 200
    assert meta["X-Pagination-Current-Page"] == "2" and meta["X-Pagination-Per-Page"] == "20"
    assert meta["X-RateLimit-Limit"] == "3600"
    assert meta["Link"] == [[url, {"rel": rel}] for rel, url in links(plain).items()]
    assert arg["data"] == plain.json()


def test_a_callback_also_wraps_errors_with_their_status_in_meta(emu: RunningEmulator) -> None:
    with client_for(emu) as anonymous:
        arg = jsonp(anonymous.get("/me", params={"callback": "handle"}), "handle")
    assert arg["meta"]["status"] == 401
    assert arg["data"] == {"message": "Access credentials required"}


def test_a_callback_that_is_not_a_function_name_is_refused(api: httpx.Client) -> None:
    response = api.get("/me", params={"callback": "alert(1);x"})
    assert response.status_code == 400
    assert "callback" in response.json()["message"]


# ------------------------------------------------------------------ writes


def test_a_create_answers_201_with_the_record_which_then_lists(
    writer: httpx.Client, store: SchemaStore
) -> None:
    created = writer.post(
        "/requests", json={"subject": "Printer jams", "category": "incident", "impact": "low"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    valid(store, "request.schema.json", body)
    assert body["subject"] == "Printer jams" and body["requested_by"]["id"] == 5
    assert created.headers["location"].endswith(f"/v1/requests/{body['id']}")
    assert writer.get(f"/requests/{body['id']}").json() == body
    last = links(writer.get("/requests"))["last"]
    assert writer.get(last).json()[-1]["id"] == body["id"]


def test_a_create_missing_data_gets_422_with_field_message_pairs(writer: httpx.Client) -> None:
    form = writer.post("/requests", files={"impact": (None, "medium")})
    urlencoded = writer.post("/requests", data={"impact": "medium"})
    for response in (form, urlencoded):
        assert response.status_code == 422
        assert response.json()["errors"] == [
            ["subject", "Subject can't be blank"],
            ["category", "Category can't be blank"],
        ]
    bad = writer.post("/requests", json={"subject": "x", "category": "nope", "impact": "huge"})
    assert bad.json()["errors"] == [
        ["category", "Category is not included in the list"],
        ["impact", "Impact is not included in the list"],
    ]


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_patch_and_put_update_only_the_attributes_sent(writer: httpx.Client, method: str) -> None:
    before = writer.get("/requests/3").json()
    after = writer.request(method, "/requests/3", json={"status": "completed"})
    assert after.status_code == 200, after.text
    changed = {k for k in before if before[k] != after.json()[k]}
    assert after.json()["status"] == "completed"
    assert changed <= {"status", "updated_at"}


def test_an_update_with_bad_data_or_a_bad_body_is_refused(writer: httpx.Client) -> None:
    assert writer.patch("/requests/3", json={"subject": ""}).json()["errors"] == [
        ["subject", "Subject can't be blank"]
    ]
    malformed = writer.patch(
        "/requests/3", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert writer.patch("/requests/999999", json={"status": "completed"}).status_code == 404


def test_the_etag_changes_when_the_record_changes(writer: httpx.Client) -> None:
    tag = writer.get("/requests/4").headers["etag"]
    writer.patch("/requests/4", json={"subject": "Changed"})
    assert writer.get("/requests/4", headers={"If-None-Match": tag}).status_code == 200


def test_a_delete_answers_204_without_a_body_and_the_record_is_gone(writer: httpx.Client) -> None:
    total = int(writer.get("/requests").headers["x-pagination-total-entries"])
    response = writer.delete("/requests/6")
    assert response.status_code == 204 and response.content == b""
    assert writer.get("/requests/6").status_code == 404
    assert int(writer.get("/requests").headers["x-pagination-total-entries"]) == total - 1


def test_resetting_the_api_token_issues_a_new_one_and_retires_the_old(
    writer: httpx.Client, store: SchemaStore
) -> None:
    response = writer.post("/me/reset_api_token")
    assert response.status_code == 200
    valid(store, "me.schema.json", response.json())
    new = response.json()["api_token"]
    assert new != CREDS["api_token"]
    assert writer.get("/me").status_code == 401
    assert writer.get("/me", auth=(new, "x")).status_code == 200
    assert writer.get("/me", params={"api_token": new}, auth=None).status_code == 200
    assert writer.get("/me", auth=PASSWORD_AUTH).json()["api_token"] == new


# ------------------------------------------------------------------ 500


def test_a_crash_answers_500_with_the_documented_body(
    monkeypatch: pytest.MonkeyPatch, store: SchemaStore
) -> None:
    def broken(language: str) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("harness.emulators.itrp._vocab.enums", broken)
    app, _ = build_app("itrp")

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://emu/v1") as client:
            return await client.get("/enums", auth=TOKEN_AUTH)

    response = asyncio.run(call())
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}
    valid(store, "error.schema.json", response.json())
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["x-ratelimit-limit"] == "3600"
