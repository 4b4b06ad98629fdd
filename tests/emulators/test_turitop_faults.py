"""Each TuriTop fault breaks its one clause observably, against the clean emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from harness.catalog import load_clauses
from harness.cli import main
from harness.emulators import RunningEmulator
from harness.emulators.turitop import FAULTS
from tests.emulators.conftest import advance, client_for, set_faults
from tests.emulators.test_turitop import (
    ROOMY,
    STORE,
    VENDOR,
    Start,
    bookings_page,
    call,
    frozen,
    grant,
    valid,
    walk,
)

Opened = tuple[RunningEmulator, httpx.Client, str]


@pytest.fixture
def opened(start: Start) -> Iterator[Callable[..., Opened]]:
    """``opened(**options)``: a clean emulator on a frozen clock, a client and a token."""
    clients: list[httpx.Client] = []

    def _open(**options: Any) -> Opened:
        emu = start(VENDOR, clock=frozen(), options=options or ROOMY)
        clients.append(client_for(emu))
        return emu, clients[-1], grant(clients[-1])["access_token"]

    yield _open
    for client in clients:
        client.close()


def test_every_fault_names_a_turitop_clause_and_the_names_are_unique() -> None:
    clauses = {c.id for c in load_clauses(VENDOR)}
    names = [f.name for f in FAULTS]
    assert 8 <= len(FAULTS) <= 10
    assert len(set(names)) == len(names)
    assert len({f.clause for f in FAULTS}) == len(FAULTS)
    for fault in FAULTS:
        assert fault.clause in clauses, fault
        assert fault.name.startswith("turitop-") and fault.name == fault.name.lower()


def test_harness_faults_lists_every_turitop_fault(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faults", VENDOR]) == 0
    out = capsys.readouterr().out
    for fault in FAULTS:
        assert any(fault.name in line and fault.clause in line for line in out.splitlines())


def test_get_query_honoured_serves_data_to_a_get_with_the_token_in_the_query(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    query = {"access_token": token, "booking_limit": 5}
    assert c.get("/booking/getbookings", params=query).status_code == 405
    set_faults(emu, enable=("turitop-get-query-honoured",))
    served = c.get("/booking/getbookings", params=query)
    assert served.status_code == 200
    assert len(valid("bookings-list.schema.json", served)["data"]["bookings"]) == 5
    assert c.get("/booking/getbookings").status_code == 405  # without parameters: unchanged


def test_token_two_hours_honours_an_access_token_past_its_hour(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    advance(emu, 3600)
    assert call(c, "/product/getproducts", token).status_code == 401
    set_faults(emu, enable=("turitop-token-two-hours",))
    assert call(c, "/product/getproducts", token).status_code == 200
    advance(emu, 3600)
    assert call(c, "/product/getproducts", token).status_code == 401


def test_expired_token_403_answers_an_expired_token_with_403(opened: Callable[..., Opened]) -> None:
    emu, c, token = opened()
    advance(emu, 3600)
    assert call(c, "/product/getproducts", token).status_code == 401
    set_faults(emu, enable=("turitop-expired-token-403",))
    refused = call(c, "/product/getproducts", token)
    assert refused.status_code == 403
    assert refused.json()["code"] == "403" and refused.json()["status"] == "ERROR"
    assert call(c, "/product/getproducts", "unknown").status_code == 401  # only expiry changes


def test_renewed_token_dead_hands_out_an_access_token_that_is_refused(
    opened: Callable[..., Opened],
) -> None:
    emu, c, _ = opened()
    clean = c.post("/authorization/renew", json={"refresh_token": grant(c)["refresh_token"]})
    assert call(c, "/product/getproducts", clean.json()["data"]["access_token"]).status_code == 200
    set_faults(emu, enable=("turitop-renewed-token-dead",))
    renewed = c.post("/authorization/renew", json={"refresh_token": grant(c)["refresh_token"]})
    new_token = valid("token-renew.schema.json", renewed)["data"]["access_token"]
    assert call(c, "/product/getproducts", new_token).status_code == 401


def test_has_more_on_last_page_says_true_on_the_last_page(opened: Callable[..., Opened]) -> None:
    emu, c, token = opened()
    pages = len(walk(c, token, 100))
    assert bookings_page(c, token, booking_page=pages, booking_limit=100)[1] is False
    set_faults(emu, enable=("turitop-has-more-on-last-page",))
    last, has_more = bookings_page(c, token, booking_page=pages, booking_limit=100)
    assert last and has_more is True
    assert bookings_page(c, token, booking_page=pages + 1, booking_limit=100) == ([], False)


def test_booking_limit_ignored_returns_100_whatever_limit_is_asked(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    assert len(bookings_page(c, token, booking_page=1, booking_limit=10)[0]) == 10
    set_faults(emu, enable=("turitop-booking-limit-ignored",))
    assert len(bookings_page(c, token, booking_page=1, booking_limit=10)[0]) == 100


def _raw_bookings(c: httpx.Client, token: str) -> list[dict[str, Any]]:
    response = call(c, "/booking/getbookings", token, {"filter": {"booking_limit": 20}})
    return list(response.json()["data"]["bookings"])


def test_price_as_number_sends_total_price_as_a_number_and_changes_nothing_else(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    clean = _raw_bookings(c, token)
    set_faults(emu, enable=("turitop-price-as-number",))
    broken = _raw_bookings(c, token)
    for before, after in zip(clean, broken, strict=True):
        assert isinstance(after["total_price"], float)
        assert after["total_price"] == float(before["total_price"])
        assert {**after, "total_price": before["total_price"]} == before
    problems = STORE.validate("booking.schema.json", broken[0], vendor=VENDOR)
    assert [p.pointer for p in problems] == ["/total_price"]


def test_iso_date_hour_off_puts_date_event_iso8601_an_hour_after_date_event(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    clean = _raw_bookings(c, token)
    set_faults(emu, enable=("turitop-iso-date-hour-off",))
    broken = _raw_bookings(c, token)
    for before, after in zip(clean, broken, strict=True):
        shifted = datetime.fromisoformat(after["date_event_iso8601"]).timestamp()
        assert shifted - after["date_event"] == 3600
        assert {**after, "date_event_iso8601": before["date_event_iso8601"]} == before
    assert not STORE.validate("booking.schema.json", broken[0], vendor=VENDOR)


def test_never_blocks_lets_every_call_through_past_the_limit(opened: Callable[..., Opened]) -> None:
    emu, c, token = opened(rate_limits={"all": 4})
    statuses = [call(c, "/product/getproducts", token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    set_faults(emu, enable=("turitop-never-blocks",))
    statuses = [call(c, "/product/getproducts", token).status_code for _ in range(10)]
    assert statuses == [200] * 10


def test_error_message_missing_blanks_the_message_and_adds_an_error_key(
    opened: Callable[..., Opened],
) -> None:
    emu, c, _ = opened()
    clean = call(c, "/product/getproducts", "invalid")
    valid("error-401.schema.json", clean)
    set_faults(emu, enable=("turitop-error-message-missing",))
    broken = call(c, "/product/getproducts", "invalid")
    assert broken.status_code == 401
    body = broken.json()
    assert body["message"] == "" and body["error"] == clean.json()["message"]
    problems = STORE.validate("error-401.schema.json", body, vendor=VENDOR)
    assert {p.rule for p in problems} == {"minLength", "additionalProperties"}
    assert call(c, "/product/getproducts", grant(c)["access_token"]).json()["message"] == ""
