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
from harness.emulators.turitop import FAULTS, credentials
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
    assert len(set(names)) == len(names)
    for fault in FAULTS:
        assert fault.clause in clauses, fault
        assert fault.name.startswith("turitop-") and fault.name == fault.name.lower()
        assert fault.description.strip(), fault


def test_a_fault_that_follows_a_reading_names_one_of_its_clauses_readings() -> None:
    clauses = {c.id: c for c in load_clauses(VENDOR)}
    for fault in FAULTS:
        if fault.reading is not None:
            ambiguity = clauses[fault.clause].ambiguity
            assert ambiguity is not None and fault.reading in ambiguity.readings, fault
            assert fault.reading != ambiguity.strict, fault


def test_every_switch_the_app_consults_is_a_fault_of_the_catalog() -> None:
    from harness.emulators.turitop import _fault_names

    switches = {v for k, v in vars(_fault_names).items() if k.isupper() and isinstance(v, str)}
    assert switches <= {f.name for f in FAULTS}


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


def test_get_served_like_post_serves_a_get_that_carries_the_json_body(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    body = {"access_token": token, "data": {"filter": {"booking_limit": 3}}}
    assert c.request("GET", "/booking/getbookings", json=body).status_code == 405
    set_faults(emu, enable=("turitop-get-served-like-post",))
    served = c.request("GET", "/booking/getbookings", json=body)
    assert len(valid("bookings-list.schema.json", served)["data"]["bookings"]) == 3


@pytest.mark.parametrize(
    ("fault", "body", "clean", "broken"),
    [
        ("turitop-missing-token-served", {"data": {}}, 401, 200),
        ("turitop-empty-token-served", {"access_token": "", "data": {}}, 401, 200),
        ("turitop-unknown-token-served", {"access_token": "f" * 40, "data": {}}, 401, 200),
    ],
)
def test_token_faults_serve_the_one_kind_of_bad_token_they_name(
    opened: Callable[..., Opened], fault: str, body: dict[str, Any], clean: int, broken: int
) -> None:
    emu, c, _ = opened()
    assert c.post("/product/getproducts", json=body).status_code == clean
    set_faults(emu, enable=(fault,))
    assert c.post("/product/getproducts", json=body).status_code == broken
    others = [
        {"data": {}},
        {"access_token": "", "data": {}},
        {"access_token": "f" * 40, "data": {}},
    ]
    assert sum(c.post("/product/getproducts", json=b).status_code == 401 for b in others) == 2


def test_renewed_after_expiry_dead_breaks_only_the_renewal_that_follows_an_expiry(
    opened: Callable[..., Opened],
) -> None:
    emu, c, _ = opened()
    set_faults(emu, enable=("turitop-renewed-after-expiry-dead",))
    alive = grant(c)
    renewed = c.post("/authorization/renew", json={"refresh_token": alive["refresh_token"]})
    assert (
        call(c, "/product/getproducts", renewed.json()["data"]["access_token"]).status_code == 200
    )
    old = grant(c)
    advance(emu, 3600)
    assert call(c, "/product/getproducts", old["access_token"]).status_code == 401
    again = c.post("/authorization/renew", json={"refresh_token": old["refresh_token"]})
    assert call(c, "/product/getproducts", again.json()["data"]["access_token"]).status_code == 401


def test_pages_overlap_repeats_the_last_booking_of_the_page_before(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    first = [b["short_id"] for b in bookings_page(c, token, booking_page=1, booking_limit=10)[0]]
    set_faults(emu, enable=("turitop-pages-overlap",))
    second = [b["short_id"] for b in bookings_page(c, token, booking_page=2, booking_limit=10)[0]]
    assert second[0] == first[-1]


def test_round_booking_limit_honoured_serves_200_but_clamps_150(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    set_faults(emu, enable=("turitop-round-booking-limit-honoured",))
    assert len(_raw_bookings_limit(c, token, 200)) == 200
    assert len(_raw_bookings_limit(c, token, 150)) == 100


def _raw_bookings_limit(c: httpx.Client, token: str, limit: int) -> list[dict[str, Any]]:
    response = call(c, "/booking/getbookings", token, {"filter": {"booking_limit": limit}})
    return list(response.json()["data"]["bookings"])


def test_limit_quadrupled_blocks_only_after_four_times_the_limit(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened(rate_limits={"all": 2})
    set_faults(emu, enable=("turitop-limit-quadrupled",))
    statuses = [call(c, "/product/getproducts", token).status_code for _ in range(12)]
    assert 429 in statuses and statuses.index(429) >= 4  # clean: the second call (grant counted)


def test_block_sticks_keeps_the_account_blocked_after_the_window(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened(rate_limits={"all": 3})  # the grant is one of the three
    set_faults(emu, enable=("turitop-block-sticks",))
    statuses = [call(c, "/product/getproducts", token).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    advance(emu, 120)
    assert call(c, "/product/getproducts", token).status_code == 429
    set_faults(emu, disable=("turitop-block-sticks",))
    assert call(c, "/product/getproducts", token).status_code == 200


def test_the_wire_faults_change_only_the_responses_they_pick(opened: Callable[..., Opened]) -> None:
    emu, c, token = opened()
    set_faults(emu, enable=("turitop-code-201-on-grant", "turitop-html-content-type-on-grant"))
    granted = c.post("/authorization/grant", json=credentials())
    assert granted.json()["code"] == "201" and granted.status_code == 200
    assert granted.headers["content-type"].startswith("text/html")
    read = call(c, "/product/getproducts", token)
    assert read.json()["code"] == "200"
    assert read.headers["content-type"].startswith("application/json")


def test_record_faults_garble_products_and_bookings_as_described(
    opened: Callable[..., Opened],
) -> None:
    emu, c, token = opened()
    set_faults(emu, enable=("turitop-disabled-as-string", "turitop-image-urls-bare"))
    product = call(c, "/product/getproducts", token).json()["data"]["products"][0]
    assert product["disabled"] in ("0", "1") and all(isinstance(i, str) for i in product["images"])
    services = call(c, "/service/getservices", token).json()["data"]["services"]
    assert all(isinstance(s["disabled"], bool) for s in services)
    set_faults(emu, enable=("turitop-email-missing-when-cancelled",))
    for booking in _raw_bookings(c, token):
        assert ("email" in booking["client_data"]) is (booking["status"] != "cancelled")
