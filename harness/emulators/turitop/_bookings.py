"""Booking writes: ``POST /booking/tour/insert`` and ``POST /booking/tour/edit``.

The body is the one the vendor's WordPress plugin builds
(``includes/class.turitop-booking-system-api-client.php``, ``prepare_data_to_insert_tour``
and ``prepare_data_to_edit_tour``)::

    insert: {access_token, data: {product_short_id, booking: {event_start, ticket_type_count,
             client_data, status, notes, payment_gateway, promo_code}}}
    edit:   {access_token, data: {short_id, booking: {event_start, ticket_type_count,
             client_data, status, notes, payment_gateway}}}

``event_start`` is Unix seconds (an integer or a digit string). ``ticket_type_count`` is a
list of ``{id, count}`` or an object ``{"<ticket id>": count}`` (another published client
sends that form). The plugin copies every key from its arguments, so on an edit a key that
is null or an empty string means "unchanged"; keys the emulator does not know (such as
``override_client_data``, ``total_price``, ``language_code``) are ignored. Both answer
``data.booking``, the booking as getbookings lists it. An edit validates everything before
it changes anything.
"""

from __future__ import annotations

import re
from typing import Any

from harness.emulators._base import EmulatorContext
from harness.emulators.turitop._data import WRITABLE_STATUSES, Booking, Store
from harness.emulators.turitop._envelope import ApiError
from harness.emulators.turitop._operations import booking_json, find_product, is_int, optional_text
from harness.emulators.turitop._products import PROMO_CODES, Product

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WHERE = "data.booking"


def _bad(field: str, message: str, value: Any = None) -> ApiError:
    return ApiError(
        400, f"{_WHERE}.{field} {message}", {"field": f"{_WHERE}.{field}", "value": value}
    )


def _given(booking: dict[str, Any], name: str) -> bool:
    return booking.get(name) not in (None, "")


def _client(value: Any, current: dict[str, str] | None) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _bad("client_data", "must be a JSON object")
    merged = dict(current or {"phone": ""})
    for key in ("name", "email", "phone"):
        if value.get(key) is not None:
            if not isinstance(value[key], str):
                raise _bad(f"client_data.{key}", "must be a string", value[key])
            merged[key] = value[key]
    missing = [f"{_WHERE}.client_data.{k}" for k in ("name", "email") if not merged.get(k)]
    if missing:
        raise ApiError(400, f"{_WHERE}.client_data needs a name and an email", {"missing": missing})
    if not _EMAIL.match(merged["email"]):
        raise _bad("client_data.email", "is not an email address", merged["email"])
    return merged


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return [(item.get("id"), item.get("count")) for item in value]
    raise _bad("ticket_type_count", "must be a list of {id, count} or an object {id: count}")


def _counts(product: Product, value: Any) -> dict[int, int]:
    known = {t.id for t in product.tickets}
    counts: dict[int, int] = {}
    for ticket_id, count in _pairs(value):
        if isinstance(ticket_id, str) and ticket_id.isdigit():
            ticket_id = int(ticket_id)
        if not is_int(ticket_id) or ticket_id not in known:
            raise ApiError(
                400,
                f"{_WHERE}.ticket_type_count: {ticket_id!r} is not a ticket type of product "
                f"{product.short_id}",
                {"field": f"{_WHERE}.ticket_type_count", "ticket_types": sorted(known)},
            )
        if isinstance(count, str) and count.isdigit():
            count = int(count)
        if not is_int(count) or count < 0:
            raise _bad("ticket_type_count", "counts must be integers >= 0", count)
        counts[int(ticket_id)] = int(count)
    if not any(counts.values()):
        raise _bad("ticket_type_count", "needs at least one ticket", value)
    return counts


def _event_start(value: Any) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not is_int(value) or value <= 0:
        raise _bad("event_start", "must be Unix seconds (a positive integer)", value)
    return int(value)


def _status(value: Any) -> str:
    if value not in WRITABLE_STATUSES:
        raise _bad("status", f"must be one of {', '.join(WRITABLE_STATUSES)}", value)
    return str(value)


def _text(booking: dict[str, Any], name: str, current: str) -> str:
    value = booking.get(name)
    if value is None:
        return current
    if not isinstance(value, str):
        raise _bad(name, "must be a string", value)
    return value


def _promo(booking: dict[str, Any]) -> str:
    code = _text(booking, "promo_code", "")
    if code and code.upper() not in PROMO_CODES:
        raise _bad("promo_code", "is not a valid promo code", code)
    return code.upper()


def _booking_object(data: dict[str, Any]) -> dict[str, Any]:
    booking = data.get("booking")
    if booking is None:
        raise ApiError(400, "data.booking is required", {"missing": ["data.booking"]})
    if not isinstance(booking, dict):
        raise ApiError(400, "data.booking must be a JSON object", {"field": "data.booking"})
    return booking


def insert_booking(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """A new booking on an enabled product."""
    booking = _booking_object(data)
    required = ("event_start", "ticket_type_count", "client_data")
    missing = ["data.product_short_id"] if not data.get("product_short_id") else []
    missing += [f"{_WHERE}.{k}" for k in required if not _given(booking, k)]
    if missing:
        raise ApiError(400, f"missing required fields: {', '.join(missing)}", {"missing": missing})
    product = find_product(store, optional_text(data, "product_short_id", "data"), "data")
    if product.disabled:
        raise ApiError(
            400, f"Product {product.short_id} is disabled", {"product_short_id": product.short_id}
        )
    created = Booking(
        short_id=store.new_booking_id(),
        product=product,
        date_event=_event_start(booking["event_start"]),
        date_booking=int(ctx.clock.now()),
        status=_status(booking["status"]) if _given(booking, "status") else "confirmed",
        client=_client(booking["client_data"], None),
        counts=_counts(product, booking["ticket_type_count"]),
        notes=_text(booking, "notes", ""),
        payment_gateway=_text(booking, "payment_gateway", ""),
        promo_code=_promo(booking),
    )
    store.bookings.append(created)
    return {"booking": booking_json(ctx, created)}


def edit_booking(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """Change a booking's event, tickets, client data, status, notes or payment gateway."""
    short_id = optional_text(data, "short_id", "data")
    if not short_id:
        raise ApiError(400, "data.short_id is required", {"missing": ["data.short_id"]})
    found = store.booking(short_id)
    if found is None:
        raise ApiError(404, f"Booking {short_id} not found", {"short_id": short_id})
    booking = _booking_object(data)
    # validate everything before changing anything
    given = {k for k in booking if _given(booking, k)}
    date_event = _event_start(booking["event_start"]) if "event_start" in given else None
    status = _status(booking["status"]) if "status" in given else found.status
    client = _client(booking["client_data"], found.client) if "client_data" in given else None
    counts = (
        _counts(found.product, booking["ticket_type_count"])
        if "ticket_type_count" in given
        else None
    )
    notes = _text(booking, "notes", "") if "notes" in given else found.notes
    gateway = (
        _text(booking, "payment_gateway", "")
        if "payment_gateway" in given
        else found.payment_gateway
    )
    found.status, found.notes, found.payment_gateway = status, notes, gateway
    if date_event is not None:
        found.date_event = date_event
    if client is not None:
        found.client = client
    if counts is not None:
        found.counts = counts
    return {"booking": booking_json(ctx, found)}
