"""TuriTop middleware faults on records: products and bookings as a vendor might garble them."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

from harness.emulators._faults import Fault, json_field, on_operation, rewrite_json
from harness.emulators._kit import iso

PRODUCTS = on_operation("POST", "/v1/product/getproducts")
BOOKINGS = on_operation("POST", "/v1/booking/getbookings")


def _records(body: Any, key: str) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) else None
    found = data.get(key) if isinstance(data, dict) else None
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def _bare_image_urls(body: Any, scope: Scope, status: int) -> Any:
    for product in _records(body, "products"):
        product["images"] = [i.get("url") for i in product.get("images", [])]
    return body


def _email_dropped_when_cancelled(body: Any, scope: Scope, status: int) -> Any:
    for booking in _records(body, "bookings"):
        if booking.get("status") == "cancelled" and isinstance(booking.get("client_data"), dict):
            booking["client_data"].pop("email", None)
    return body


def _iso_of_booking_date(body: Any, scope: Scope, status: int) -> Any:
    """Every tenth booking's date_event_iso8601 mirrors date_booking (a field mix-up)."""
    for index, booking in enumerate(_records(body, "bookings")):
        if index % 10 == 9 and isinstance(booking.get("date_booking"), int):
            booking["date_event_iso8601"] = iso(booking["date_booking"])
    return body


RECORD_FAULTS: tuple[Fault, ...] = (
    Fault(
        "turitop-disabled-as-string",
        "TURI-DATA-PRODUCTS",
        "getproducts sends disabled as the strings '0'/'1' instead of a boolean",
        json_field("disabled", lambda v: "1" if v is True else "0" if v is False else v, PRODUCTS),
    ),
    Fault(
        "turitop-image-urls-bare",
        "TURI-DATA-PRODUCTS",
        "getproducts lists images as bare URL strings instead of objects with a url",
        rewrite_json(_bare_image_urls, PRODUCTS),
        kind="wrong-value",
    ),
    Fault(
        "turitop-ticket-count-as-string",
        "TURI-DATA-BOOKING",
        "getbookings sends each ticket_type_count[].count as a digit string",
        json_field("count", lambda v: str(v) if isinstance(v, int) else v, BOOKINGS),
    ),
    Fault(
        "turitop-email-missing-when-cancelled",
        "TURI-DATA-BOOKING",
        "cancelled bookings lose client_data.email (the others keep it)",
        rewrite_json(_email_dropped_when_cancelled, BOOKINGS),
        kind="wrong-value",
    ),
    Fault(
        "turitop-iso-date-of-booking",
        "TURI-DATA-DATE-EVENT",
        "every tenth booking's date_event_iso8601 shows its date_booking instead",
        rewrite_json(_iso_of_booking_date, BOOKINGS),
        kind="intermittent",
    ),
)
