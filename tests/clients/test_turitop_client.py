"""The vendor's own WordPress plugin would work unchanged against the TuriTop emulator.

``PluginClient`` replays, call for call, the API client of the TuriTop Booking System
WordPress plugin (``includes/class.turitop-booking-system-api-client.php``, class
``turitop_booking_system_api_client``): each ``prepare_data_to_*`` method's URL and body,
sent as ``send_client_data_to_server`` sends it (a cURL POST of ``json_encode($data)`` with
the single header ``Content-Type:application/json``; the HTTP status is never read). The
assertions are on the fields the plugin reads: the grant's ``code`` (the string ``"200"``,
as its settings and synchronisation callbacks test) and ``data`` tokens, and the product
fields its ``turitop_booking_system_admin_ajax`` synchronisation copies. Where the plugin
passes an answer on to its caller without reading it, the test asserts what a caller needs.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock, make_tls, run_emulator
from harness.emulators.turitop import credentials

EPOCH = 1_750_000_020
DAY = 86400


class PluginClient:
    """turitop_booking_system_api_client, method for method (PHP names kept)."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.result: dict[str, str] = {}  # $this->result: the tokens after a grant

    # send_client_data_to_server
    def send(self, module_action: str, data: Any) -> dict[str, Any]:
        payload = json.dumps(data).replace("/", "\\/")  # json_encode escapes slashes
        response = self.http.post(
            "/" + module_action,
            content=payload.encode(),
            headers={"Content-Type": "application/json"},
        )
        decoded = json.loads(response.content)  # json_decode(curl_exec($ch))
        return decoded if isinstance(decoded, dict) else {}

    def _with_token(self, data: dict[str, Any]) -> Any:
        # every prepare_data_to_* sends array() (JSON []) when there is no token
        return {"access_token": self.result["access_token"], "data": data} if self.result else []

    def _keep_tokens(self, result: dict[str, Any]) -> None:
        data = result.get("data")
        self.result = (
            {k: data[k] for k in ("access_token", "refresh_token", "company_short_id")}
            if isinstance(data, dict)
            else {}
        )

    def connect_to_turitop_api(self, args: dict[str, str]) -> dict[str, Any]:
        result = self.send("authorization/grant", args)
        self._keep_tokens(result)
        return result

    def renew_token(self) -> None:
        self._keep_tokens(
            self.send("authorization/renew", {"refresh_token": self.result["refresh_token"]})
        )

    def get_turitop_products(self, args: dict[str, str]) -> dict[str, Any]:
        return self.send(
            "product/getproducts", self._with_token({"language_code": args.get("lang", "")})
        )

    def check_promo_code(self, args: dict[str, Any]) -> dict[str, Any]:
        keys = ("product_short_id", "date_event", "promo_code")
        return self.send(
            "product/checkpromocode", self._with_token({k: args.get(k, "") for k in keys})
        )

    def insert_individual_event(self, args: dict[str, Any]) -> dict[str, Any]:
        data = {k: args.get(k, "") for k in ("product_short_id", "start_date", "end_date", "time")}
        data["current_service_only"] = args.get("current_service_only", "1")
        return self.send("product/tour/insertindividualevents", self._with_token(data))

    def _range(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "product_short_id": args["product_short_id"],
            "start_date": args["start_date"],
            "end_date": args["end_date"],
            "language_code": args.get("language_code", ""),
        }

    def get_events(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.send("product/tour/getevents", self._with_token(self._range(args)))

    def get_available_by_tour(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.send("product/tour/getavailable", self._with_token(self._range(args)))

    def get_ticket(self, args: dict[str, Any]) -> dict[str, Any]:
        data = {
            "product_short_id": args["product_short_id"],
            "language_code": args.get("language_code", ""),
        }
        return self.send("tickets/get", self._with_token(data))

    def insert_tour(self, args: dict[str, Any]) -> dict[str, Any]:
        booking = {k: args.get(k) for k in _BOOKING_KEYS}
        booking["promo_code"] = args.get("promo_code", "")
        data = {"product_short_id": args["product_short_id"], "booking": booking}
        return self.send("booking/tour/insert", self._with_token(data))

    def edit_tour(self, args: dict[str, Any]) -> dict[str, Any]:
        # a key the caller leaves out is null in PHP: the plugin sends it as null
        data = {"short_id": args["short_id"], "booking": {k: args.get(k) for k in _BOOKING_KEYS}}
        return self.send("booking/tour/edit", self._with_token(data))


_BOOKING_KEYS = (
    "event_start",
    "ticket_type_count",
    "client_data",
    "status",
    "notes",
    "payment_gateway",
)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    tls = make_tls(Path(tmp_path_factory.mktemp("tls")))
    clock = VirtualClock(EPOCH, flowing=False)
    options = {"rate_limits": {"all": 100_000}}
    with run_emulator("turitop", tls=tls, clock=clock, options=options) as emu:
        yield emu


@pytest.fixture
def plugin(emulator: RunningEmulator) -> Iterator[PluginClient]:
    context = ssl.create_default_context(cafile=str(emulator.tls.ca))
    with httpx.Client(base_url=emulator.base_url, verify=context, timeout=10) as http:
        http.headers.clear()  # cURL sends only what the plugin sets (and its own basics)
        client = PluginClient(http)
        granted = client.connect_to_turitop_api(credentials())
        assert granted["code"] == "200", granted  # the plugin's own test, a string
        yield client


def _a_product(plugin: PluginClient) -> dict[str, Any]:
    products = plugin.get_turitop_products({"lang": "en"})["data"]["products"]
    return next(p for p in products if not p["disabled"])


def _first_ticket(plugin: PluginClient, product: str) -> dict[str, Any]:
    result = plugin.get_ticket({"product_short_id": product})
    assert result["code"] == "200", result
    return dict(result["data"]["tickets"][0])


# ---------------------------------------------------------------------- authorization
def test_the_grant_gives_the_code_string_200_and_the_three_values_the_plugin_keeps(
    plugin: PluginClient,
) -> None:
    assert set(plugin.result) == {"access_token", "refresh_token", "company_short_id"}
    assert all(isinstance(v, str) and v for v in plugin.result.values())
    assert plugin.result["company_short_id"] == credentials()["short_id"]


def test_wrong_credentials_answer_a_code_the_plugin_reads_as_wrong_credentials(
    plugin: PluginClient,
) -> None:
    refused = plugin.connect_to_turitop_api({"short_id": "C4T7Z2", "secret_key": "wrong"})
    assert "code" in refused and refused["code"] != "200"
    assert plugin.result == {}  # no data: the plugin keeps no token
    assert plugin.get_turitop_products({"lang": "en"})["code"] == "400"  # it then sends []


def test_renew_token_hands_the_plugin_a_working_pair_and_the_company(plugin: PluginClient) -> None:
    before = dict(plugin.result)
    plugin.renew_token()
    assert plugin.result["access_token"] != before["access_token"]
    assert plugin.result["company_short_id"] == before["company_short_id"]
    assert plugin.get_turitop_products({"lang": "en"})["code"] == "200"


# ---------------------------------------------------------------------- products
def test_every_product_has_each_field_the_synchronisation_copies(plugin: PluginClient) -> None:
    result = plugin.get_turitop_products({"lang": "es"})
    assert result["code"] == "200" and result["status"] == "SUCCESS"
    products = result["data"]["products"]
    assert products
    for product in products:
        for field in ("short_id", "name", "summary", "description", "flow", "pricing_notes"):
            assert isinstance(product[field], str), (field, product)
        assert product["duration"] not in (None, "")
        assert product["timezone"]
        assert isinstance(product["company_categories"], list)
        assert isinstance(product["images"], list) and product["images"]
        for image in product["images"]:
            assert image["url"].split("?")[0].startswith("https://")  # explode('?', $url)[0]


# ---------------------------------------------------------------------- product/* calls
def test_checkpromocode_answers_code_200_for_a_known_and_an_unknown_code(
    plugin: PluginClient,
) -> None:
    product = _a_product(plugin)["short_id"]
    known = plugin.check_promo_code({"product_short_id": product, "promo_code": "SUMMER10"})
    assert known["code"] == "200" and known["data"]["promo_code"]["valid"] is True
    unknown = plugin.check_promo_code({"promo_code": "NOPE"})  # '' for product and date
    assert unknown["code"] == "200" and unknown["data"]["promo_code"]["valid"] is False


def test_getevents_and_getavailable_list_the_products_departures_in_the_range(
    plugin: PluginClient,
) -> None:
    product = _a_product(plugin)["short_id"]
    span = {"product_short_id": product, "start_date": EPOCH, "end_date": EPOCH + 6 * DAY}
    events = plugin.get_events(span)
    assert events["code"] == "200" and events["data"]["events"]
    for event in events["data"]["events"]:
        assert event["product_short_id"] == product
        assert EPOCH <= event["time"] <= EPOCH + 6 * DAY
    available = plugin.get_available_by_tour({**span, "language_code": "en"})
    assert available["code"] == "200"
    assert {e["time"] for e in available["data"]["events"]} <= {
        e["time"] for e in events["data"]["events"]
    }
    assert all(e["seats"]["left"] > 0 for e in available["data"]["events"])


def test_insertindividualevents_adds_a_departure_that_getevents_then_lists(
    plugin: PluginClient,
) -> None:
    product = _a_product(plugin)["short_id"]
    day = "2025-06-20"
    inserted = plugin.insert_individual_event(
        {"product_short_id": product, "start_date": day, "end_date": day, "time": "19:45"}
    )
    assert inserted["code"] == "200", inserted
    at = inserted["data"]["events"][0]["time"]
    listed = plugin.get_events({"product_short_id": product, "start_date": day, "end_date": day})
    assert at in {e["time"] for e in listed["data"]["events"]}


# ---------------------------------------------------------------------- bookings
def test_insert_tour_creates_the_booking_and_edit_tour_really_changes_it(
    plugin: PluginClient,
) -> None:
    product = _a_product(plugin)["short_id"]
    ticket = _first_ticket(plugin, product)
    inserted = plugin.insert_tour(
        {
            "product_short_id": product,
            "event_start": EPOCH + 3 * DAY,
            "ticket_type_count": [{"id": ticket["id"], "count": 2}],
            "client_data": {"name": "Irene Vidal", "email": "irene@example.com", "phone": ""},
            "status": "pending",
            "notes": "window seat",
            "payment_gateway": "stripe",
            "promo_code": "SUMMER10",
        }
    )
    assert inserted["code"] == "200", inserted
    created = inserted["data"]["booking"]
    assert created["status"] == "pending" and created["date_event"] == EPOCH + 3 * DAY
    short_id = created["short_id"]

    edited = plugin.edit_tour(
        {
            "short_id": short_id,
            "event_start": EPOCH + 4 * DAY,
            "ticket_type_count": {str(ticket["id"]): 3},
            "status": "paid",
            "notes": "aisle seat",
        }
    )
    assert edited["code"] == "200", edited
    booking = edited["data"]["booking"]
    assert booking["short_id"] == short_id
    assert booking["date_event"] == EPOCH + 4 * DAY and booking["status"] == "paid"
    assert booking["notes"] == "aisle seat" and booking["payment_gateway"] == "stripe"
    assert booking["client_data"] == created["client_data"]  # sent as null: unchanged
    counts = {t["id"]: t["count"] for t in booking["ticket_type_count"]}
    assert counts[ticket["id"]] == 3
    assert float(booking["total_price"]) > float(created["total_price"])


def test_an_edit_of_an_unknown_booking_is_an_error_code_not_a_silent_success(
    plugin: PluginClient,
) -> None:
    result = plugin.edit_tour({"short_id": "BNOPE12", "status": "paid"})
    assert result["code"] == "404" and result["status"] == "ERROR"
