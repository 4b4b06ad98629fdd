"""Each TopTickets fault breaks its one clause observably, and only while it is active."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from harness.catalog import load_catalog
from harness.cli import main
from harness.emulators import RunningEmulator, VirtualClock
from harness.emulators.toptickets import FAULTS, credentials
from harness.emulators.toptickets import _faults as names
from harness.validation import default_store
from tests.emulators.conftest import ModuleEmulator, client_for, set_faults

VENDOR = "toptickets"
AUTH = {"Authorization": f"Bearer {credentials()['api_key']}"}
RO_AUTH = {"Authorization": f"Bearer {credentials()['ro_api_key']}"}
NEW_TICKET = {"subject": "Cannot log in", "customer_id": "550e8400-e29b-41d4-a716-446655440000"}
EMULATOR = ModuleEmulator(VENDOR, client={"headers": AUTH})


@pytest.fixture
def fault(emu: RunningEmulator) -> Iterator[Callable[[str], None]]:
    """``fault(name)`` turns a fault on until the end of the test."""
    enabled: list[str] = []

    def _on(name: str) -> None:
        set_faults(emu, enable=(name,))
        enabled.append(name)

    yield _on
    if enabled:
        set_faults(emu, disable=tuple(enabled))


def test_every_fault_names_one_clause_of_the_catalog_and_harness_faults_lists_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clauses = {c.id for c in load_catalog((VENDOR,))}
    assert len({f.name for f in FAULTS}) == len(FAULTS)
    for f in FAULTS:
        assert f.clause in clauses and f.name.startswith("toptickets-")
        assert f.description.strip()
    assert main(["faults", VENDOR]) == 0
    out = capsys.readouterr().out
    for f in FAULTS:
        assert any(f.name in line and f.clause in line for line in out.splitlines())


def test_list_wrapped_puts_the_array_in_an_items_object(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    clean = api.get("/tickets", params={"limit": 3}).json()
    assert isinstance(clean, list)
    fault(names.LIST_WRAPPED)
    assert api.get("/tickets", params={"limit": 3}).json() == {"items": clean}
    assert isinstance(api.get("/customers").json(), dict)
    one = api.get(f"/tickets/{clean[0]['id']}").json()
    assert one == clean[0]  # single objects are untouched


def test_offset_skips_one_loses_a_record_at_each_page_boundary(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    everything = api.get("/tickets", params={"limit": 500}).json()
    fault(names.OFFSET_SKIPS)
    first = api.get("/tickets", params={"limit": 50}).json()
    second = api.get("/tickets", params={"limit": 50, "offset": 50}).json()
    assert first == everything[:50]
    assert second == everything[51:101]  # everything[50] is never served


def test_limit_capped_serves_100_when_200_are_asked_and_more_remain(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    assert len(api.get("/tickets", params={"limit": 200}).json()) == 200
    fault(names.LIMIT_CAPPED)
    assert len(api.get("/tickets", params={"limit": 200}).json()) == 100
    assert len(api.get("/tickets", params={"limit": 50}).json()) == 50
    assert api.get("/tickets", params={"limit": 501}).status_code == 422


def test_filters_or_returns_tickets_matching_either_filter(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    query: dict[str, Any] = {"status": "open", "priority": "high", "limit": 500}
    clean = api.get("/tickets", params=query).json()
    assert all(t["status"] == "open" and t["priority"] == "high" for t in clean)
    only_open = api.get("/tickets", params={"status": "open", "limit": 500}).json()
    fault(names.FILTERS_OR)
    broken = api.get("/tickets", params=query).json()
    assert len(broken) > len(clean)
    assert any(t["status"] != "open" for t in broken)
    assert any(t["priority"] != "high" for t in broken)
    assert api.get("/tickets", params={"status": "open", "limit": 500}).json() == only_open


def test_timestamps_plus_offset_drops_the_z_designator(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    clean = api.get("/tickets", params={"limit": 1}).json()[0]
    assert clean["created_at"].endswith("Z")
    fault(names.UTC_OFFSET)
    broken = api.get("/tickets", params={"limit": 1}).json()[0]
    assert broken["created_at"] == clean["created_at"][:-1] + "+00:00"
    assert broken["id"] == clean["id"] and broken["subject"] == clean["subject"]
    problems = default_store().validate("ticket.schema.json", broken, vendor=VENDOR)
    assert {p.pointer for p in problems} >= {"/created_at", "/updated_at"}


def test_readonly_write_401_refuses_a_valid_read_only_key_as_unknown(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    assert api.post("/tickets", json=NEW_TICKET, headers=RO_AUTH).status_code == 403
    before = api.get("/tickets", params={"limit": 500}).json()
    fault(names.RO_WRITE_401)
    response = api.post("/tickets", json=NEW_TICKET, headers=RO_AUTH)
    assert response.status_code == 401 and response.json() == {"detail": "Invalid API key"}
    assert api.get("/tickets", headers=RO_AUTH).status_code == 200  # reads still work
    assert api.get("/tickets", params={"limit": 500}).json() == before


def test_delete_200_body_answers_200_with_the_ticket_instead_of_204(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    kept = api.post("/tickets", json=NEW_TICKET).json()
    assert api.delete(f"/tickets/{kept['id']}").status_code == 204
    doomed = api.post("/tickets", json=NEW_TICKET).json()
    fault(names.DELETE_200)
    response = api.delete(f"/tickets/{doomed['id']}")
    assert response.status_code == 200 and response.json() == doomed
    assert api.get(f"/tickets/{doomed['id']}").status_code == 404


def test_error_key_renames_detail_to_error(api: httpx.Client, fault: Callable[[str], None]) -> None:
    missing = "/tickets/550e8400-e29b-41d4-a716-446655440000"
    assert api.get(missing).json() == {"detail": "Ticket not found"}
    fault(names.ERROR_KEY)
    assert api.get(missing).json() == {"error": "Ticket not found"}
    assert api.get("/tickets", headers={"Authorization": "Bearer x"}).json() == {
        "error": "Invalid API key"
    }
    assert "detail" in api.get("/tickets?limit=0").json()  # 422 keeps its own clause


def test_429_without_retry_after(start: Callable[..., RunningEmulator]) -> None:
    emu = start(
        VENDOR, clock=VirtualClock(60_000, flowing=False), options={"rate_limits": {"all": 1}}
    )
    with client_for(emu, headers=AUTH) as api:
        api.get("/teams")
        assert "retry-after" in api.get("/teams").headers
        set_faults(emu, enable=(names.NO_RETRY_AFTER,))
        response = api.get("/teams")
        assert response.status_code == 429 and "retry-after" not in response.headers
        assert response.json()["detail"].startswith("Rate limit exceeded")


def test_bad_enum_filter_200_answers_an_empty_array_instead_of_422(
    api: httpx.Client, fault: Callable[[str], None]
) -> None:
    assert api.get("/tickets", params={"status": "not-a-status"}).status_code == 422
    fault(names.ENUM_FILTER_EMPTY)
    for query in ({"status": "not-a-status"}, {"priority": "critical"}):
        response = api.get("/tickets", params=query)
        assert response.status_code == 200 and response.json() == []
    body: dict[str, Any] = {**NEW_TICKET, "priority": "critical"}
    assert api.post("/tickets", json=body).status_code == 422  # bodies still refused
