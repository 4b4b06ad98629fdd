"""The TuriTop emulator: POST-only operations, the body token, envelopes, paging, limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock
from harness.emulators.turitop import credentials
from harness.validation import default_store
from tests.emulators.conftest import ModuleEmulator, advance, client_for

VENDOR = "turitop"
EPOCH = 1_750_000_020  # a minute boundary, so a fresh rate-limit window starts with the test
ROOMY = {"rate_limits": {"all": 100_000}}  # for tests that are not about the limit
STORE = default_store()
EMULATOR = ModuleEmulator(VENDOR, frozen_at=EPOCH, options=ROOMY)

Start = Callable[..., RunningEmulator]


# ---------------------------------------------------------------------- helpers
def frozen() -> VirtualClock:
    return VirtualClock(EPOCH, flowing=False)


def valid(schema: str, response: httpx.Response) -> dict[str, Any]:
    """The JSON body, after checking it and the content headers against the vendor schemas."""
    body = response.json()
    problems = STORE.validate(schema, body, vendor=VENDOR)
    problems += STORE.validate_headers("headers-content.schema.json", response.headers, VENDOR)
    assert not problems, "\n".join(str(p) for p in problems)
    assert body["code"] == str(response.status_code)
    return dict(body)


def grant(client: httpx.Client) -> dict[str, str]:
    response = client.post("/authorization/grant", json=credentials())
    assert response.status_code == 200, response.text
    return dict(response.json()["data"])


def call(
    client: httpx.Client, path: str, token: str | None, data: Any = None, **kwargs: Any
) -> httpx.Response:
    body: dict[str, Any] = {"data": {} if data is None else data}
    if token is not None:
        body["access_token"] = token
    return client.post(path, json=body, **kwargs)


def bookings_page(
    client: httpx.Client, token: str, **filter_: Any
) -> tuple[list[dict[str, Any]], bool]:
    response = call(client, "/booking/getbookings", token, {"filter": filter_})
    body = valid("bookings-list.schema.json", response)
    return body["data"]["bookings"], body["data"]["pagination"]["has_more"]


def walk(client: httpx.Client, token: str, limit: int | None, **filter_: Any) -> list[list[str]]:
    """Every page's booking ids, following has_more from page 1."""
    pages: list[list[str]] = []
    page = 1
    while True:
        paging = {"booking_page": page, **filter_}
        if limit is not None:
            paging["booking_limit"] = limit
        bookings, has_more = bookings_page(client, token, **paging)
        pages.append([b["short_id"] for b in bookings])
        if not has_more:
            return pages
        assert len(pages) < 400, "has_more never became false"
        page += 1


@pytest.fixture(scope="module")
def token(api: httpx.Client) -> str:
    return grant(api)["access_token"]


@pytest.fixture(scope="module")
def all_bookings(api: httpx.Client, token: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        bookings, has_more = bookings_page(api, token, booking_page=page, booking_limit=100)
        found += bookings
        if not has_more:
            return found
        page += 1


# ---------------------------------------------------------------------- routes and schemas
def test_the_grant_answers_a_success_envelope_with_both_tokens_and_the_company(
    api: httpx.Client,
) -> None:
    body = valid("token.schema.json", api.post("/authorization/grant", json=credentials()))
    assert body["status"] == "SUCCESS" and body["code"] == "200"
    assert body["data"]["company_short_id"] == credentials()["short_id"]
    assert body["data"]["access_token"] != body["data"]["refresh_token"]


@pytest.mark.parametrize(
    ("path", "schema", "key"),
    [
        ("/booking/getbookings", "bookings-list.schema.json", "bookings"),
        ("/product/getproducts", "products-list.schema.json", "products"),
        ("/tickets/get", "envelope.schema.json", "tickets"),
        ("/service/getservices", "envelope.schema.json", "services"),
        ("/product/getcalendardata", "calendar.schema.json", "events"),
        ("/product/tour/getevents", "events-list.schema.json", "events"),
        ("/product/tour/getavailable", "events-list.schema.json", "events"),
    ],
)
def test_every_read_operation_answers_a_success_envelope_valid_against_its_schema(
    api: httpx.Client, token: str, path: str, schema: str, key: str
) -> None:
    response = call(api, path, token)
    assert response.status_code == 200
    body = valid(schema, response)
    valid("response-200.http-status.schema.json", response)
    assert body["data"][key], f"{path} returned no {key}"


def test_every_seeded_booking_validates_and_there_are_at_least_250(
    all_bookings: list[dict[str, Any]],
) -> None:
    assert len(all_bookings) >= 250
    for booking in all_bookings:
        assert not STORE.validate("booking.schema.json", booking, vendor=VENDOR), booking


def test_every_product_validates_and_some_are_disabled(api: httpx.Client, token: str) -> None:
    products = valid("products-list.schema.json", call(api, "/product/getproducts", token))
    items = products["data"]["products"]
    for product in items:
        assert not STORE.validate("product.schema.json", product, vendor=VENDOR)
    assert {p["disabled"] for p in items} == {True, False}
    assert len({p["short_id"] for p in items}) == len(items) >= 10


def test_bookings_date_event_and_its_iso_mirror_are_the_same_instant(
    all_bookings: list[dict[str, Any]],
) -> None:
    from datetime import datetime

    for booking in all_bookings:
        moment = datetime.fromisoformat(booking["date_event_iso8601"])
        assert moment.timestamp() == booking["date_event"]


def test_a_bookings_total_price_is_the_sum_of_its_tickets_at_their_prices(
    api: httpx.Client, token: str, all_bookings: list[dict[str, Any]]
) -> None:
    tickets = call(api, "/tickets/get", token).json()["data"]["tickets"]
    price = {t["id"]: round(float(t["price"]) * 100) for t in tickets}
    for booking in all_bookings[:50]:
        cents = sum(price[t["id"]] * t["count"] for t in booking["ticket_type_count"])
        assert booking["total_price"] == f"{cents // 100}.{cents % 100:02d}"


def test_tickets_can_be_narrowed_to_one_product_and_an_unknown_product_is_404(
    api: httpx.Client, token: str
) -> None:
    product = call(api, "/product/getproducts", token).json()["data"]["products"][0]
    tickets = call(api, "/tickets/get", token, {"product_short_id": product["short_id"]})
    assert {t["product_short_id"] for t in tickets.json()["data"]["tickets"]} == {
        product["short_id"]
    }
    missing = call(api, "/tickets/get", token, {"product_short_id": "PNOPE1"})
    assert missing.status_code == 404
    valid("error-404.schema.json", missing)


@pytest.mark.parametrize(
    ("status", "schema", "send"),
    [
        (400, "error-400.schema.json", lambda c, t: c.post("/booking/getbookings", content=b"{x")),
        (400, "error-400.schema.json", lambda c, t: c.post("/product/getproducts", json=[1, 2])),
        (
            400,
            "error-400.schema.json",
            lambda c, t: c.post("/product/getproducts", json={"access_token": t}),
        ),
        (400, "error-400.schema.json", lambda c, t: call(c, "/product/getproducts", t, [])),
        (
            400,
            "error-400.schema.json",
            lambda c, t: c.post("/authorization/grant", json={"short_id": "C4T7Z2"}),
        ),
        (400, "error-400.schema.json", lambda c, t: c.post("/authorization/renew", json={})),
        (401, "error-401.schema.json", lambda c, t: call(c, "/product/getproducts", None)),
        (401, "error-401.schema.json", lambda c, t: call(c, "/product/getproducts", "invalid")),
        (401, "error-401.schema.json", lambda c, t: c.post("/booking/getbookings", content=b"")),
        (
            401,
            "error-401.schema.json",
            lambda c, t: c.post(
                "/authorization/grant", json={**credentials(), "secret_key": "wrong"}
            ),
        ),
        (
            401,
            "error-401.schema.json",
            lambda c, t: c.post("/authorization/renew", json={"refresh_token": "never-issued"}),
        ),
        (404, "error-404.schema.json", lambda c, t: call(c, "/no-such-module/no-such-action", t)),
        (404, "error-404.schema.json", lambda c, t: call(c, "/booking/getbookings/", t)),
        (
            404,
            "error-404.schema.json",
            lambda c, t: c.post(str(c.base_url.copy_with(path="/")), json={}),
        ),
        (405, "error.schema.json", lambda c, t: c.get("/booking/getbookings")),
        (405, "error.schema.json", lambda c, t: c.put("/product/getproducts", json={})),
    ],
)
def test_each_error_status_carries_the_error_envelope_its_schema_describes(
    api: httpx.Client,
    token: str,
    status: int,
    schema: str,
    send: Callable[[httpx.Client, str], httpx.Response],
) -> None:
    response = send(api, token)
    assert response.status_code == status, response.text
    body = valid(schema, response)
    assert body["status"] == "ERROR" and body["message"]


def test_a_get_is_refused_with_405_and_no_data_even_with_the_token_in_the_query(
    api: httpx.Client, token: str
) -> None:
    response = api.get("/booking/getbookings", params={"access_token": token, "booking_limit": 5})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["data"] is None


def test_query_string_parameters_on_a_post_have_no_effect(api: httpx.Client, token: str) -> None:
    tokenless = api.post("/product/getproducts", params={"access_token": token}, json={"data": {}})
    assert tokenless.status_code == 401
    response = call(
        api,
        "/booking/getbookings",
        token,
        {"filter": {}},
        params={"booking_limit": 5, "booking_page": 2},
    )
    first = call(api, "/booking/getbookings", token, {"filter": {}})
    assert response.json()["data"]["bookings"] == first.json()["data"]["bookings"]
    assert len(response.json()["data"]["bookings"]) == 100


def test_a_bearer_header_is_accepted_when_the_body_carries_no_token(
    api: httpx.Client, token: str
) -> None:
    response = api.post(
        "/product/getproducts", json={"data": {}}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    valid("products-list.schema.json", response)


# ---------------------------------------------------------------------- pagination
@pytest.mark.parametrize("limit", [7, 25, 50, 99, 100, None])
def test_walking_every_page_yields_each_booking_once_in_creation_order(
    api: httpx.Client, token: str, all_bookings: list[dict[str, Any]], limit: int | None
) -> None:
    pages = walk(api, token, limit)
    size = limit or 100
    ids = [i for page in pages for i in page]
    assert ids == [b["short_id"] for b in all_bookings]
    assert len(set(ids)) == len(ids)
    assert all(len(page) == size for page in pages[:-1])
    assert 1 <= len(pages[-1]) <= size


def test_the_order_is_by_booking_date_ascending(all_bookings: list[dict[str, Any]]) -> None:
    dates = [b["date_booking"] for b in all_bookings]
    assert dates == sorted(dates)


def test_has_more_is_true_on_every_page_but_the_last(api: httpx.Client, token: str) -> None:
    total = len(walk(api, token, 100))
    flags = [
        bookings_page(api, token, booking_page=p, booking_limit=100)[1] for p in range(1, total + 1)
    ]
    assert flags == [True] * (total - 1) + [False]


def test_a_page_past_the_end_is_empty_and_says_no_more(api: httpx.Client, token: str) -> None:
    bookings, has_more = bookings_page(api, token, booking_page=50, booking_limit=100)
    assert bookings == [] and has_more is False


def test_an_oversized_booking_limit_is_clamped_to_100(api: httpx.Client, token: str) -> None:
    bookings, has_more = bookings_page(api, token, booking_page=1, booking_limit=250)
    assert len(bookings) == 100 and has_more


@pytest.mark.parametrize(
    "filter_",
    [
        {"booking_page": 0},
        {"booking_page": -1},
        {"booking_page": "2"},
        {"booking_page": 1.5},
        {"booking_page": True},
        {"booking_limit": 0},
        {"booking_limit": "ten"},
        {"booking_limit": None},
    ],
)
def test_bad_paging_values_are_refused_with_400(
    api: httpx.Client, token: str, filter_: dict[str, Any]
) -> None:
    response = call(api, "/booking/getbookings", token, {"filter": filter_})
    assert response.status_code == 400
    body = valid("error-400.schema.json", response)
    assert next(iter(filter_)) in body["message"]


def test_a_filter_that_is_not_an_object_is_refused_with_400(api: httpx.Client, token: str) -> None:
    response = call(api, "/booking/getbookings", token, {"filter": [1]})
    assert response.status_code == 400
    valid("error-400.schema.json", response)


def test_bookings_can_be_filtered_by_product_and_status_and_still_page(
    api: httpx.Client, token: str, all_bookings: list[dict[str, Any]]
) -> None:
    product = all_bookings[0]["product_short_id"]
    pages = walk(api, token, 3, product_short_id=product, status="confirmed")
    expected = [
        b["short_id"]
        for b in all_bookings
        if b["product_short_id"] == product and b["status"] == "confirmed"
    ]
    assert [i for page in pages for i in page] == expected and len(pages) > 1


# ---------------------------------------------------------------------- tokens
def test_an_access_token_works_for_an_hour_and_then_gets_401(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        token = grant(c)["access_token"]
        advance(emu, 3599)
        assert call(c, "/product/getproducts", token).status_code == 200
        advance(emu, 1)
        expired = call(c, "/product/getproducts", token)
        assert expired.status_code == 401
        assert "expired" in valid("error-401.schema.json", expired)["message"]


def test_after_a_401_for_expiry_a_renewed_token_makes_the_same_call_succeed(
    start: Start,
) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        tokens = grant(c)
        advance(emu, 3700)
        assert call(c, "/booking/getbookings", tokens["access_token"]).status_code == 401
        renewed = c.post("/authorization/renew", json={"refresh_token": tokens["refresh_token"]})
        data = valid("token-renew.schema.json", renewed)["data"]
        assert data["access_token"] != tokens["access_token"]
        repeated = call(c, "/booking/getbookings", data["access_token"])
        assert repeated.status_code == 200
        # the renewed token lives its own hour
        advance(emu, 3599)
        assert call(c, "/booking/getbookings", data["access_token"]).status_code == 200


def test_refresh_tokens_rotate_a_used_one_is_refused_and_refresh_is_an_alias(
    start: Start,
) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        first = grant(c)["refresh_token"]
        renewed = c.post("/authorization/renew", json={"refresh_token": first}).json()["data"]
        again = c.post("/authorization/renew", json={"refresh_token": first})
        assert again.status_code == 401
        valid("error-401.schema.json", again)
        alias = c.post("/authorization/refresh", json={"refresh_token": renewed["refresh_token"]})
        data = valid("token-renew.schema.json", alias)["data"]
        assert call(c, "/product/getproducts", data["access_token"]).status_code == 200


def test_a_refresh_token_is_usable_for_60_days_and_not_after(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        kept, late = grant(c)["refresh_token"], grant(c)["refresh_token"]
        advance(emu, 60 * 86400 - 1)
        assert c.post("/authorization/renew", json={"refresh_token": kept}).status_code == 200
        advance(emu, 1)
        expired = c.post("/authorization/renew", json={"refresh_token": late})
        assert expired.status_code == 401
        valid("error-401.schema.json", expired)


def test_a_revoked_refresh_token_takes_its_access_tokens_with_it(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        tokens, other = grant(c), grant(c)
        revoked = c.post("/authorization/revoke", json={"refresh_token": tokens["refresh_token"]})
        valid("envelope.schema.json", revoked)
        assert call(c, "/product/getproducts", tokens["access_token"]).status_code == 401
        assert call(c, "/product/getproducts", other["access_token"]).status_code == 200
        assert (
            c.post(
                "/authorization/renew", json={"refresh_token": tokens["refresh_token"]}
            ).status_code
            == 401
        )


# ---------------------------------------------------------------------- rate limit
def test_the_61st_call_in_a_minute_is_blocked_with_429_until_the_window_ends(
    start: Start,
) -> None:
    emu = start(VENDOR, clock=frozen())
    with client_for(emu) as c:
        token = grant(c)["access_token"]  # the grant is call 1 of 60
        statuses = [call(c, "/product/getproducts", token).status_code for _ in range(59)]
        assert set(statuses) == {200}
        blocked = call(c, "/product/getproducts", token)
        assert blocked.status_code == 429
        body = valid("error-429.schema.json", blocked)
        assert body["status"] == "ERROR" and body["data"] is None
        assert blocked.headers["retry-after"] == "60"
        advance(emu, 59)
        assert call(c, "/product/getproducts", token).status_code == 429
        assert c.get(f"{emu.origin}/__emulator__/stats").json()["rate_limited"] == 2
        advance(emu, 1)
        assert call(c, "/product/getproducts", token).status_code == 200


def test_failed_calls_count_against_the_limit_too(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options={"rate_limits": {"all": 3}})
    with client_for(emu) as c:
        token = grant(c)["access_token"]
        assert (
            call(c, "/booking/getbookings", token, {"filter": {"booking_page": 0}}).status_code
            == 400
        )
        assert call(c, "/product/getproducts", token).status_code == 200
        assert call(c, "/product/getproducts", token).status_code == 429


def test_the_assumed_limit_can_be_overridden_through_options(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options={"rate_limits": {"all": 5}})
    with client_for(emu) as c:
        token = grant(c)["access_token"]
        statuses = [call(c, "/product/getproducts", token).status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]


# ---------------------------------------------------------------------- writes
def _new_booking(
    client: httpx.Client, token: str, product: str | None = None, **changes: Any
) -> httpx.Response:
    """An insert as the WordPress plugin builds it: product_short_id plus data.booking."""
    products = call(client, "/product/getproducts", token).json()["data"]["products"]
    product = product or next(p for p in products if not p["disabled"])["short_id"]
    tickets = call(client, "/tickets/get", token, {"product_short_id": product})
    first = tickets.json()["data"]["tickets"][0] if tickets.status_code == 200 else {"id": 101}
    booking = {
        "event_start": EPOCH + 7 * 86400,
        "client_data": {
            "name": "Irene Vidal",
            "email": "irene.vidal@example.com",
            "phone": "+34 611 222 333",
        },
        "ticket_type_count": [{"id": first["id"], "count": 2}],
        "status": "",
        "notes": "",
        "payment_gateway": "",
        "promo_code": "",
        **changes,
    }
    data = {"product_short_id": product, "booking": booking}
    return call(client, "/booking/tour/insert", token, data)


def test_an_inserted_booking_is_listed_last_with_its_price(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        token = grant(c)["access_token"]
        created = _new_booking(c, token)
        booking = valid("booking-write.schema.json", created)["data"]["booking"]
        assert booking["date_booking"] == EPOCH and booking["status"] == "confirmed"
        pages = walk(c, token, 100)
        assert pages[-1][-1] == booking["short_id"]
        assert sum(len(p) for p in pages) == 301


def test_a_promo_code_takes_its_percentage_off_the_total(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        token = grant(c)["access_token"]
        full = _new_booking(c, token).json()["data"]["booking"]
        cut = _new_booking(c, token, promo_code="friends25").json()["data"]["booking"]
        assert cut["promo_code"] == "FRIENDS25"
        assert float(cut["total_price"]) == pytest.approx(float(full["total_price"]) * 0.75)


def test_ticket_counts_may_also_come_as_an_object_of_id_to_count(
    api: httpx.Client, token: str
) -> None:
    as_list = _new_booking(api, token).json()["data"]["booking"]
    ticket = as_list["ticket_type_count"][0]["id"]
    as_object = _new_booking(api, token, ticket_type_count={str(ticket): 2})
    booking = valid("booking-write.schema.json", as_object)["data"]["booking"]
    assert booking["ticket_type_count"] == as_list["ticket_type_count"]


@pytest.mark.parametrize(
    ("product", "changes", "status"),
    [
        ("PNOPE1", {}, 404),
        (None, {"event_start": "tomorrow"}, 400),
        (None, {"client_data": {"name": "No Mail"}}, 400),
        (None, {"client_data": {"name": "X", "email": "not-an-address"}}, 400),
        (None, {"ticket_type_count": [{"id": 1, "count": 1}]}, 400),
        (None, {"ticket_type_count": [{"id": 101, "count": 0}]}, 400),
        (None, {"status": "teleported"}, 400),
        (None, {"promo_code": "FREEBIE"}, 400),
    ],
)
def test_an_invalid_insert_is_refused_and_creates_nothing(
    api: httpx.Client, token: str, product: str | None, changes: dict[str, Any], status: int
) -> None:
    before = len(walk(api, token, 100)[-1])
    response = _new_booking(api, token, product, **changes)
    assert response.status_code == status, response.text
    valid(f"error-{status}.schema.json", response)
    assert len(walk(api, token, 100)[-1]) == before


def test_an_insert_on_a_disabled_product_or_without_fields_is_a_400(
    api: httpx.Client, token: str
) -> None:
    products = call(api, "/product/getproducts", token).json()["data"]["products"]
    disabled = next(p for p in products if p["disabled"])
    response = _new_booking(api, token, disabled["short_id"])
    assert response.status_code == 400 and "disabled" in response.json()["message"]
    bare = call(api, "/booking/tour/insert", token, {"booking": {}})
    assert bare.status_code == 400
    assert set(valid("error-400.schema.json", bare)["details"]["missing"]) == {
        "data.product_short_id",
        "data.booking.event_start",
        "data.booking.client_data",
        "data.booking.ticket_type_count",
    }
    flat = call(api, "/booking/tour/insert", token, {"product_short_id": disabled["short_id"]})
    assert flat.status_code == 400 and flat.json()["details"]["missing"] == ["data.booking"]


def test_an_edit_changes_the_booking_and_the_listing_shows_it(start: Start) -> None:
    emu = start(VENDOR, clock=frozen(), options=ROOMY)
    with client_for(emu) as c:
        token = grant(c)["access_token"]
        target = bookings_page(c, token, booking_page=2, booking_limit=10)[0][3]
        edited = call(
            c,
            "/booking/tour/edit",
            token,
            {
                "short_id": target["short_id"],
                "booking": {
                    "event_start": None,
                    "ticket_type_count": None,
                    "client_data": {"phone": "+34 699 000 111"},
                    "status": "cancelled",
                    "notes": "moved by phone",
                    "payment_gateway": None,
                },
            },
        )
        booking = valid("booking-write.schema.json", edited)["data"]["booking"]
        assert booking["status"] == "cancelled" and booking["notes"] == "moved by phone"
        assert booking["client_data"] == {**target["client_data"], "phone": "+34 699 000 111"}
        assert booking["date_event"] == target["date_event"]
        listed = bookings_page(c, token, booking_page=2, booking_limit=10)[0][3]
        assert listed == booking


def test_an_edit_of_an_unknown_booking_is_404_and_a_bad_edit_changes_nothing(
    api: httpx.Client, token: str, all_bookings: list[dict[str, Any]]
) -> None:
    missing = call(api, "/booking/tour/edit", token, {"short_id": "BNOPE12", "booking": {}})
    assert missing.status_code == 404
    valid("error-404.schema.json", missing)
    target = all_bookings[5]
    bad = call(
        api,
        "/booking/tour/edit",
        token,
        {"short_id": target["short_id"], "booking": {"status": "cancelled", "event_start": -5}},
    )
    assert bad.status_code == 400
    flat = call(api, "/booking/tour/edit", token, {"short_id": target["short_id"], "status": "x"})
    assert flat.status_code == 400  # the old flat body is refused, not a silent success
    assert bookings_page(api, token, booking_page=1, booking_limit=10)[0][5] == target


# ---------------------------------------------------------------------- events and promo codes
def test_getavailable_lists_only_open_departures_with_seats_among_getevents(
    api: httpx.Client, token: str
) -> None:
    span = {"start_date": "2025-06-10", "end_date": "2025-06-16"}
    events = valid("events-list.schema.json", call(api, "/product/tour/getevents", token, span))
    available = call(api, "/product/tour/getavailable", token, span)
    open_ = valid("events-list.schema.json", available)["data"]["events"]
    assert open_ and all(e["status"] == "open" and e["seats"]["left"] > 0 for e in open_)
    assert [e for e in events["data"]["events"] if e["status"] == "open"] == open_


def test_a_departure_holds_the_seats_of_the_bookings_at_its_time(
    api: httpx.Client, token: str, all_bookings: list[dict[str, Any]]
) -> None:
    booking = next(b for b in all_bookings if b["status"] != "cancelled")
    at = booking["date_event"]
    span = {"product_short_id": booking["product_short_id"], "start_date": at, "end_date": at}
    (event,) = call(api, "/product/tour/getevents", token, span).json()["data"]["events"]
    same = [
        b
        for b in all_bookings
        if b["date_event"] == at
        and b["product_short_id"] == booking["product_short_id"]
        and b["status"] != "cancelled"
    ]
    held = sum(t["count"] for b in same for t in b["ticket_type_count"])
    assert event["seats"]["reserved"] == held
    assert event["seats"]["left"] == max(0, event["seats"]["total"] - held)


@pytest.mark.parametrize(
    "data",
    [
        {"start_date": "June"},
        {"start_date": "2025-06-10", "end_date": "2025-06-01"},
        {"start_date": "2025-01-01", "end_date": "2025-12-31"},
        {"product_short_id": "PNOPE1"},
    ],
)
def test_bad_event_ranges_or_products_are_refused(
    api: httpx.Client, token: str, data: dict[str, Any]
) -> None:
    response = call(api, "/product/tour/getevents", token, data)
    assert response.status_code in (400, 404)
    valid(f"error-{response.status_code}.schema.json", response)


def test_the_calendar_groups_departures_by_time_for_the_products_asked(
    api: httpx.Client, token: str
) -> None:
    products = call(api, "/product/getproducts", token).json()["data"]["products"]
    ids = [p["short_id"] for p in products[:2]]
    body = valid(
        "calendar.schema.json",
        call(api, "/product/getcalendardata", token, {"product_short_ids": ids}),
    )
    events = body["data"]["events"]
    assert events and [e["time"] for e in events] == sorted(e["time"] for e in events)
    assert {p["short_id"] for e in events for p in e["products"]} == set(ids)


def test_checkpromocode_knows_the_seeded_codes_and_needs_one(api: httpx.Client, token: str) -> None:
    known = call(api, "/product/checkpromocode", token, {"promo_code": "welcome5"})
    assert valid("promo-code.schema.json", known)["data"]["promo_code"]["valid"] is True
    assert known.json()["data"]["promo_code"]["discount"]["value"] == 5
    unknown = call(api, "/product/checkpromocode", token, {"promo_code": "NOPE"})
    assert valid("promo-code.schema.json", unknown)["data"]["promo_code"]["valid"] is False
    assert call(api, "/product/checkpromocode", token, {}).status_code == 400


# ---------------------------------------------------------------------- in process
def test_a_server_error_still_answers_the_error_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from harness.emulators import build_app
    from harness.emulators.turitop import _app

    def broken(*args: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setitem(_app.OPERATIONS, "/service/getservices", broken)
    app, _ctx = build_app(VENDOR, clock=frozen())

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="https://emu/v1") as c:
            token = (await c.post("/authorization/grant", json=credentials())).json()
            return await c.post(
                "/service/getservices",
                json={"access_token": token["data"]["access_token"], "data": {}},
            )

    response = asyncio.run(go())
    assert response.status_code == 500
    body = valid("error.schema.json", response)
    assert body["code"] == "500" and "boom" not in body["message"]


def test_the_seed_decides_the_data_and_the_same_seed_gives_the_same_data() -> None:
    from harness.emulators import build_app
    from harness.emulators.turitop._data import seed_store

    def ids(seed: int) -> list[str]:
        _app, ctx = build_app(VENDOR, clock=frozen(), seed=seed)
        return [b.short_id for b in seed_store(ctx).bookings]

    assert ids(1) == ids(1)
    assert ids(1) != ids(2)
