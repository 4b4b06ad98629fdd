"""Every ITRP fault breaks its clause observably, compared with the clean emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime

import httpx
import pytest

from harness.catalog import load_clauses
from harness.cli import main
from harness.emulators import RunningEmulator, VirtualClock
from harness.emulators.itrp import FAULTS
from harness.validation import SchemaStore
from tests.emulators.conftest import ModuleEmulator, client_for, no_delay, set_faults
from tests.emulators.test_itrp import CREDS, TOKEN_AUTH, links
from tests.emulators.test_itrp_vendor import jsonp

START = 1_750_000_000 // 3600 * 3600 + 600


EMULATOR = ModuleEmulator("itrp", client={"auth": TOKEN_AUTH})


@contextmanager
def faulty(emu: RunningEmulator, name: str) -> Iterator[None]:
    set_faults(emu, enable=(name,))
    try:
        yield
    finally:
        set_faults(emu, disable=(name,))


def test_every_fault_names_an_itrp_clause_and_is_listed_by_harness_faults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clauses = {c.id for c in load_clauses("itrp")}
    assert all(f.name.startswith("itrp-") and f.clause in clauses for f in FAULTS)
    assert main(["faults", "itrp"]) == 0
    listed = capsys.readouterr().out
    for fault in FAULTS:
        assert any(fault.name in line and fault.clause in line for line in listed.splitlines())


def test_fault_names_are_unique_and_every_fault_says_what_it_breaks() -> None:
    names = [f.name for f in FAULTS]
    assert len(names) == len(set(names))
    assert all(f.description.strip() and f.description != f.name for f in FAULTS)


def test_a_fault_following_a_reading_names_a_non_strict_reading_of_its_clause() -> None:
    catalog = {c.id: c for c in load_clauses("itrp")}
    for fault in (f for f in FAULTS if f.reading is not None):
        ambiguity = catalog[fault.clause].ambiguity
        assert ambiguity is not None, fault.name
        assert fault.reading in ambiguity.readings and fault.reading != ambiguity.strict
        assert fault.strict


def test_subtle_faults_break_some_responses_only() -> None:
    subtle = [f for f in FAULTS if f.subtle]
    assert {"intermittent", "status-specific", "one-operation"} <= {f.kind for f in subtle}


def test_remaining_dropped_strips_the_header_from_errors_only(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    assert "x-ratelimit-remaining" in api.get("/me_too").headers
    with faulty(emu, "itrp-ratelimit-remaining-dropped"):
        broken = api.get("/me_too")
        fine = api.get("/me")
    assert broken.status_code == 404 and "x-ratelimit-remaining" not in broken.headers
    assert "x-ratelimit-limit" in broken.headers
    assert "x-ratelimit-remaining" in fine.headers


def test_retry_after_http_date_sends_a_date_instead_of_seconds(
    start: Callable[..., RunningEmulator],
) -> None:
    emu = no_delay(
        start("itrp", clock=VirtualClock(START, flowing=False), options={"rate_limits": {"all": 1}})
    )
    with client_for(emu, auth=TOKEN_AUTH) as client:
        client.get("/me")
        clean = client.get("/me")
        set_faults(emu, enable=("itrp-retry-after-http-date",))
        broken = client.get("/me")
    assert clean.headers["retry-after"] == "3000"
    assert broken.status_code == 429 and not broken.headers["retry-after"].isdigit()
    assert parsedate_to_datetime(broken.headers["retry-after"]).timestamp() == START + 3000


def test_next_on_last_page_keeps_a_next_link_on_the_last_page(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    assert "next" not in links(api.get("/sites", params={"page": 2}))
    with faulty(emu, "itrp-link-next-on-last-page"):
        last = api.get("/sites", params={"page": 2})
        middle = api.get("/sites", params={"page": 1})
    assert last.headers["x-pagination-total-pages"] == "2"
    assert links(last)["next"].endswith("page=3&per_page=20")
    assert "next" in links(middle)


def test_default_page_size_25_serves_25_records_without_per_page(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    assert len(api.get("/requests").json()) == 20
    with faulty(emu, "itrp-default-page-size-25"):
        broken = api.get("/requests")
        explicit = api.get("/requests", params={"per_page": 20})
    assert len(broken.json()) == 25 and broken.headers["x-pagination-per-page"] == "25"
    assert len(explicit.json()) == 20


def test_per_page_zero_accepted_serves_a_page_instead_of_400(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    assert api.get("/requests", params={"per_page": 0}).status_code == 400
    with faulty(emu, "itrp-per-page-zero-accepted"):
        zero = api.get("/requests", params={"per_page": 0})
        negative = api.get("/requests", params={"per_page": -10})
    assert zero.status_code == negative.status_code == 200
    assert len(zero.json()) == 20


def test_ids_as_strings_turns_record_and_reference_ids_into_strings(
    emu: RunningEmulator, api: httpx.Client, store: SchemaStore
) -> None:
    clean = api.get("/me").json()
    with faulty(emu, "itrp-ids-as-strings"):
        broken = api.get("/me").json()
        error = api.get("/me_too").json()
    assert clean["id"] == 5 and clean["site"]["id"] == 13
    assert broken["id"] == "5" and broken["site"]["id"] == "13"
    pointers = {v.pointer for v in store.validate("me.schema.json", broken, "itrp")}
    assert {"/id", "/site/id"} <= pointers
    assert error == {"message": "Not Found"}


def test_422_errors_as_objects_replaces_the_field_message_pairs(
    emu: RunningEmulator, api: httpx.Client, store: SchemaStore
) -> None:
    clean = api.post("/requests", json={})
    with faulty(emu, "itrp-422-errors-as-objects"):
        broken = api.post("/requests", json={})
    assert clean.json()["errors"][0] == ["subject", "Subject can't be blank"]
    assert broken.status_code == 422
    assert broken.json()["errors"][0] == {
        "attribute": "subject",
        "message": "Subject can't be blank",
    }
    assert store.validate("error-422.schema.json", broken.json(), "itrp")


def test_put_rejected_answers_405_where_patch_still_works(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    status = api.get("/requests/7").json()["status"]
    assert api.put("/requests/7", json={"status": status}).status_code == 200
    with faulty(emu, "itrp-put-rejected"):
        put = api.put("/requests/7", json={"status": status})
        patch = api.patch("/requests/7", json={"status": status})
    assert put.status_code == 405 and put.json() == {"message": "Method Not Allowed"}
    assert patch.status_code == 200


def test_jsonp_link_unparsed_leaves_the_link_header_a_string_in_meta(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    assert isinstance(jsonp(api.get("/people", params={"callback": "foo"}))["meta"]["Link"], list)
    with faulty(emu, "itrp-jsonp-link-unparsed"):
        response = api.get("/people", params={"callback": "foo"})
    meta = jsonp(response)["meta"]
    assert meta["Link"] == response.headers["link"]


def test_api_token_query_ignored_refuses_the_query_token_but_not_basic_auth(
    emu: RunningEmulator,
) -> None:
    with client_for(emu) as client:
        assert client.get("/me", params={"api_token": CREDS["api_token"]}).status_code == 200
        with faulty(emu, "itrp-api-token-query-ignored"):
            query = client.get("/me", params={"api_token": CREDS["api_token"]})
            basic = client.get("/me", auth=TOKEN_AUTH)
    assert query.status_code == 401
    assert basic.status_code == 200


def test_if_none_match_ignored_answers_200_with_the_body_again(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    tag = api.get("/me").headers["etag"]
    assert api.get("/me", headers={"If-None-Match": tag}).status_code == 304
    with faulty(emu, "itrp-if-none-match-ignored"):
        again = api.get("/me", headers={"If-None-Match": tag})
    assert again.status_code == 200 and again.json()["id"] == 5


def test_error_status_key_adds_a_key_to_error_bodies_but_not_to_422_or_429(
    emu: RunningEmulator, api: httpx.Client, store: SchemaStore
) -> None:
    assert api.get("/me_too").json() == {"message": "Not Found"}
    with faulty(emu, "itrp-error-status-key"):
        not_found = api.get("/me_too").json()
        forbidden = api.get("/people/1").json()
        invalid = api.post("/requests", json={}).json()
    assert not_found == {"message": "Not Found", "status": 404}
    assert forbidden == {"message": "Forbidden", "status": 403}
    assert set(invalid) == {"message", "errors"}
    assert store.validate("error.schema.json", not_found, "itrp")


def test_account_header_ignored_on_sites_serves_the_own_sites_there_only(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    switched = {"X-ITRP-Account": "wna"}
    own_sites = api.get("/sites").json()
    assert api.get("/sites", headers=switched).json() != own_sites
    own_people = api.get("/people").json()
    with faulty(emu, "itrp-account-header-ignored-on-sites"):
        sites = api.get("/sites", headers=switched).json()
        people = api.get("/people", headers=switched).json()
    assert sites == own_sites
    assert people != own_people


def test_remaining_counts_double_drops_the_count_by_two_per_request(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    clean = [int(api.get("/me").headers["x-ratelimit-remaining"]) for _ in range(2)]
    with faulty(emu, "itrp-ratelimit-remaining-counts-double"):
        broken = [int(api.get("/me").headers["x-ratelimit-remaining"]) for _ in range(2)]
    assert clean[0] - clean[1] == 1
    assert broken[0] - broken[1] == 2
    assert broken[1] < clean[1]
