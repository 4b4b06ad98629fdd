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

from typing import Any, TypeGuard

from harness.emulators._base import EmulatorContext
from harness.emulators.turitop._data import Booking, Store
from harness.emulators.turitop._envelope import ApiError
from harness.emulators.turitop._fault_names import (
    BOOKING_LIMIT_200,
    BOOKING_LIMIT_IGNORED,
    HAS_MORE_ON_LAST_PAGE,
    ISO_DATE_HOUR_OFF,
    PAGES_OVERLAP,
    PRICE_AS_NUMBER,
)
from harness.emulators.turitop._products import Product

DEFAULT_LIMIT = 100
MAX_LIMIT = 100


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive(filt: dict[str, Any], name: str, default: int) -> int:
    value = filt.get(name, default)
    if not is_int(value) or value < 1:
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


def optional_text(data: dict[str, Any], name: str, where: str) -> str | None:
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
        asked = _positive(filt, "booking_limit", DEFAULT_LIMIT)
        round_hundreds = asked % 100 == 0 and ctx.fault(BOOKING_LIMIT_200)
        limit = min(asked, 5 * MAX_LIMIT if round_hundreds else MAX_LIMIT)
    product = optional_text(filt, "product_short_id", "data.filter")
    status = optional_text(filt, "status", "data.filter")
    chosen = [
        b
        for b in store.bookings
        if (product is None or b.product.short_id == product)
        and (status is None or b.status == status)
    ]
    start = (page - 1) * limit
    if ctx.fault(PAGES_OVERLAP) and page > 1:
        start -= 1
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
    """Every product; with a non-empty ``product_short_id``, that one as ``data.product``
    (as a published client reads it). ``language_code`` is accepted and ignored."""
    optional_text(data, "language_code", "data")
    wanted = optional_text(data, "product_short_id", "data")
    if wanted:
        return {"product": find_product(store, wanted, "data").as_json()}
    return {"products": [p.as_json() for p in store.products]}


def find_product(store: Store, short_id: str | None, where: str) -> Product:
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
    wanted = optional_text(data, "product_short_id", "data")
    products = store.products if wanted is None else [find_product(store, wanted, "data")]
    return {"tickets": [t.as_json(p.currency) for p in products for t in p.tickets]}


def get_services(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """Services (guides, vehicles, rooms; the data shape is not published)."""
    return {"services": [dict(s) for s in store.services]}
