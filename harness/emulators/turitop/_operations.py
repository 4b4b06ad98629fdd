"""The TuriTop operations, on the decoded ``data`` object of an authenticated call.

Each returns the ``data`` of the SUCCESS envelope or raises :class:`ApiError`.

Paging (getbookings, PUBLIC-FACTS): ``data.filter.booking_page`` counts from 1 and
``data.filter.booking_limit`` defaults to 100 when absent (our choice: the documented
per-call maximum). A limit above 100 is clamped to 100 (the profile leaves oversize
unspecified; clamping keeps "at most 100 per call" true). A page or limit that is not
an integer >= 1 is a 400. A page past the end is empty with ``has_more: false``.
Bookings are listed in creation order (seeded ones by ``date_booking`` ascending,
inserted ones after them). ``filter.product_short_id`` and ``filter.status`` narrow the
list; other filter keys are ignored.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from harness.emulators._base import EmulatorContext
from harness.emulators.turitop._data import STATUSES, Booking, Product, Store
from harness.emulators.turitop._envelope import ApiError
from harness.emulators.turitop._faults import (
    BOOKING_LIMIT_IGNORED,
    HAS_MORE_ON_LAST_PAGE,
    ISO_DATE_HOUR_OFF,
    PRICE_AS_NUMBER,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive(filt: dict[str, Any], name: str, default: int) -> int:
    value = filt.get(name, default)
    if not _is_int(value) or value < 1:
        raise ApiError(
            400,
            f"data.filter.{name} must be an integer >= 1",
            {"field": f"data.filter.{name}", "value": value},
        )
    return int(value)


def _object(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ApiError(400, f"{where}.{name} must be a JSON object", {"field": f"{where}.{name}"})
    return value


def _optional_text(data: dict[str, Any], name: str, where: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, f"{where}.{name} must be a string", {"field": f"{where}.{name}"})
    return value


def booking_json(ctx: EmulatorContext, booking: Booking) -> dict[str, Any]:
    return booking.as_json(
        price_as_number=ctx.fault(PRICE_AS_NUMBER),
        iso_shift=3600 if ctx.fault(ISO_DATE_HOUR_OFF) else 0,
    )


def get_bookings(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    filt = _object(data, "filter", "data")
    page = _positive(filt, "booking_page", 1)
    if ctx.fault(BOOKING_LIMIT_IGNORED):
        limit = DEFAULT_LIMIT
    else:
        limit = min(_positive(filt, "booking_limit", DEFAULT_LIMIT), MAX_LIMIT)
    product = _optional_text(filt, "product_short_id", "data.filter")
    status = _optional_text(filt, "status", "data.filter")
    chosen = [
        b
        for b in store.bookings
        if (product is None or b.product.short_id == product)
        and (status is None or b.status == status)
    ]
    start = (page - 1) * limit
    window = chosen[start : start + limit]
    if ctx.fault(HAS_MORE_ON_LAST_PAGE):
        has_more = start < len(chosen)
    else:
        has_more = start + limit < len(chosen)
    return {
        "bookings": [booking_json(ctx, b) for b in window],
        "pagination": {"has_more": has_more, "booking_page": page, "booking_limit": limit},
    }


def get_products(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    return {"products": [p.as_json() for p in store.products]}


def _product(store: Store, short_id: str | None, where: str) -> Product:
    if short_id is None:
        raise ApiError(
            400, f"{where}.product_short_id is required", {"missing": ["product_short_id"]}
        )
    product = store.product(short_id)
    if product is None:
        raise ApiError(404, f"Product {short_id} not found", {"product_short_id": short_id})
    return product


def get_tickets(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """Ticket types (the data shape is not published): all, or one product's."""
    wanted = _optional_text(data, "product_short_id", "data")
    products = store.products if wanted is None else [_product(store, wanted, "data")]
    return {"tickets": [t.as_json(p.currency) for p in products for t in p.tickets]}


def get_services(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """Services (guides, vehicles, rooms; the data shape is not published)."""
    return {"services": [dict(s) for s in store.services]}


def _client(value: Any, current: dict[str, str] | None) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ApiError(400, "data.client_data must be a JSON object", {"field": "data.client_data"})
    merged = dict(current or {"phone": ""})
    for key in ("name", "email", "phone"):
        if key in value:
            if not isinstance(value[key], str):
                raise ApiError(
                    400,
                    f"data.client_data.{key} must be a string",
                    {"field": f"data.client_data.{key}"},
                )
            merged[key] = value[key]
    missing = [k for k in ("name", "email") if not merged.get(k)]
    if missing:
        raise ApiError(400, "data.client_data needs a name and an email", {"missing": missing})
    if not _EMAIL.match(merged["email"]):
        raise ApiError(
            400,
            "data.client_data.email is not an email address",
            {"field": "data.client_data.email", "value": merged["email"]},
        )
    return merged


def _counts(product: Product, value: Any) -> dict[int, int]:
    known = {t.id for t in product.tickets}
    if not isinstance(value, list) or not value:
        raise ApiError(
            400,
            "data.ticket_type_count must be a non-empty list of {id, count}",
            {"field": "data.ticket_type_count"},
        )
    counts: dict[int, int] = {}
    for index, item in enumerate(value):
        where = f"data.ticket_type_count[{index}]"
        if not isinstance(item, dict):
            raise ApiError(400, f"{where} must be an object {{id, count}}", {"field": where})
        ticket_id = item.get("id")
        if isinstance(ticket_id, str) and ticket_id.isdigit():
            ticket_id = int(ticket_id)
        if not _is_int(ticket_id) or ticket_id not in known:
            raise ApiError(
                400,
                f"{where}.id is not a ticket type of product {product.short_id}",
                {"field": f"{where}.id", "value": item.get("id"), "ticket_types": sorted(known)},
            )
        count = item.get("count")
        if not _is_int(count) or count < 0:
            raise ApiError(
                400,
                f"{where}.count must be an integer >= 0",
                {"field": f"{where}.count", "value": count},
            )
        counts[int(ticket_id)] = int(count)
    if not any(counts.values()):
        raise ApiError(
            400, "a booking needs at least one ticket", {"field": "data.ticket_type_count"}
        )
    return counts


def _date_event(value: Any) -> int:
    if not _is_int(value) or value <= 0:
        raise ApiError(
            400,
            "data.date_event must be Unix seconds (a positive integer)",
            {"field": "data.date_event", "value": value},
        )
    return int(value)


def _status(value: Any) -> str:
    if value not in STATUSES:
        raise ApiError(
            400,
            f"data.status must be one of {', '.join(STATUSES)}",
            {"field": "data.status", "value": value},
        )
    return str(value)


def insert_booking(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """POST /booking/tour/insert: a new booking on an enabled product."""
    missing = [
        k
        for k in ("product_short_id", "date_event", "client_data", "ticket_type_count")
        if k not in data
    ]
    if missing:
        raise ApiError(400, f"missing required fields: {', '.join(missing)}", {"missing": missing})
    product = _product(store, _optional_text(data, "product_short_id", "data"), "data")
    if product.disabled:
        raise ApiError(
            400, f"Product {product.short_id} is disabled", {"product_short_id": product.short_id}
        )
    booking = Booking(
        short_id=store.new_booking_id(),
        product=product,
        date_event=_date_event(data["date_event"]),
        date_booking=int(ctx.clock.now()),
        status=_status(data.get("status", "confirmed")),
        client=_client(data["client_data"], None),
        counts=_counts(product, data["ticket_type_count"]),
    )
    store.bookings.append(booking)
    return {"booking": booking_json(ctx, booking)}


def edit_booking(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """POST /booking/tour/edit: change date, status, client data or ticket counts."""
    short_id = _optional_text(data, "short_id", "data")
    if short_id is None:
        raise ApiError(400, "data.short_id is required", {"missing": ["short_id"]})
    booking = store.booking(short_id)
    if booking is None:
        raise ApiError(404, f"Booking {short_id} not found", {"short_id": short_id})
    # validate everything before changing anything
    date_event = _date_event(data["date_event"]) if "date_event" in data else booking.date_event
    status = _status(data["status"]) if "status" in data else booking.status
    client = _client(data["client_data"], booking.client) if "client_data" in data else None
    counts = (
        _counts(booking.product, data["ticket_type_count"])
        if ("ticket_type_count" in data)
        else None
    )
    booking.date_event, booking.status = date_event, status
    if client is not None:
        booking.client = client
    if counts is not None:
        booking.counts = counts
    return {"booking": booking_json(ctx, booking)}
