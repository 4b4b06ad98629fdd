"""The Trackops fault catalog: every fault names one clause of the catalog, and the new
faults break their rule observably, only while active (``harness selftest trackops``
proves each against the checks)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from harness.emulators import RunningEmulator
from harness.emulators._faults import SUBTLE_KINDS
from harness.emulators.trackops import FAULTS, credentials
from tests.emulators.conftest import ModuleEmulator, set_faults

CLAUSES = Path(__file__).resolve().parents[2] / "schemas" / "trackops" / "clauses.toml"
CATALOG = {c["id"]: c for c in tomllib.loads(CLAUSES.read_text())["clause"]}
CREDS = credentials()
EMULATOR = ModuleEmulator(
    "trackops",
    client={"auth": (CREDS["username"] + "/token", CREDS["api_token"])},
    options={"rate_limits": {"all": 100000}},
)


@pytest.fixture
def faulty(emu: RunningEmulator) -> Iterator[Callable[[str], None]]:
    """``faulty(name)`` turns a fault on for the rest of the test."""
    active: list[str] = []

    def enable(name: str) -> None:
        set_faults(emu, enable=(name,))
        active.append(name)

    yield enable
    set_faults(emu, disable=tuple(active))


def test_every_fault_has_a_unique_prefixed_name_a_description_and_a_checked_clause() -> None:
    names = [f.name for f in FAULTS]
    assert len(names) == len(set(names))
    for fault in FAULTS:
        assert fault.name.startswith("trackops-") and fault.description.strip(), fault
        assert fault.clause in CATALOG and "unchecked" not in CATALOG[fault.clause], fault


def test_a_fault_that_follows_a_reading_names_a_non_strict_reading_of_its_clause() -> None:
    for fault in FAULTS:
        if fault.reading is not None:
            ambiguity = CATALOG[fault.clause]["ambiguity"]
            assert fault.reading in ambiguity["readings"] and fault.reading != ambiguity["strict"]


def test_some_faults_break_their_rule_on_some_responses_only() -> None:
    assert any(f.kind in SUBTLE_KINDS for f in FAULTS)


def test_the_wrong_token_fault_turns_only_that_refusal_into_403(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    faulty("trackops-wrong-token-403")
    wrong = api.get("/clients", auth=(CREDS["username"] + "/token", "not-the-token"))
    assert wrong.status_code == 403
    assert api.get("/clients", auth=None, headers={"Authorization": ""}).status_code == 401


def test_the_second_page_short_fault_loses_and_repeats_no_entry(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    clean = api.get("/expense/entries", params={"per_page": 100}).json()
    faulty("trackops-entries-second-page-short")
    pages = [
        api.get("/expense/entries", params={"per_page": 30, "page": n}).json() for n in (1, 2, 3)
    ]
    assert [len(p) for p in pages] == [30, 29, 30]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in clean[:89]]


def test_the_encoded_space_fault_refuses_only_queries_with_a_space(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    faulty("trackops-encoded-space-refused")
    assert api.get("/users?updated_from=2020-01-01%2000%3A00%3A00").status_code == 400
    assert api.get("/users?updated_from=2020-01-01").status_code == 200


def test_the_unknown_url_fault_keeps_404_for_a_missing_record(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    faulty("trackops-unknown-url-400")
    assert api.get("/no-such-resource-trk").status_code == 400
    assert api.get("/cases/1").status_code == 404


def test_the_users_paging_fault_ignores_paging_only_beside_dir(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    faulty("trackops-users-size-ignored-with-dir")
    assert len(api.get("/users", params={"per_page": 5}).json()) == 5
    assert len(api.get("/users", params={"per_page": 5, "page": 2, "dir": "asc"}).json()) > 5
    assert len(api.get("/clients", params={"per_page": 5, "dir": "asc"}).json()) == 5


def test_the_token_cached_decision_refuses_the_next_full_access_login_once(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    faulty("trackops-auth-decision-cached-by-token")
    assert api.get("/clients").status_code == 200
    limited = (CREDS["limited_username"] + "/token", CREDS["api_token"])
    assert api.get("/clients", auth=limited).status_code == 403
    assert api.get("/clients").status_code == 403
    assert api.get("/clients").status_code == 200


def test_the_duplicate_guard_throttles_only_a_repeat_of_a_served_url(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    faulty("trackops-repeat-within-2s-throttled")
    assert api.get("/clients", params={"per_page": 1}).status_code == 200
    assert api.get("/clients", params={"per_page": 1}).status_code == 429
    assert api.get("/clients", params={"per_page": 1}).status_code == 200
    assert api.get("/clients", params={"per_page": 2}).status_code == 200


def test_the_missing_record_fault_answers_200_only_for_a_record_url(
    api: httpx.Client, faulty: Callable[[str], None]
) -> None:
    faulty("trackops-missing-record-200")
    missing = api.get("/clients/999999")
    assert missing.status_code == 200 and "error" in missing.json()
    assert api.get("/no-such-resource-trk").status_code == 404
