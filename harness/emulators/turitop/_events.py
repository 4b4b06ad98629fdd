"""Departures (events), availability, individual events and promo codes.

The vendor's WordPress plugin calls (``includes/class.turitop-booking-system-api-client.php``):

* ``product/tour/getevents`` and ``product/tour/getavailable`` with ``data{product_short_id,
  start_date, end_date, language_code}``: a product's departures in the range; getavailable
  only the open ones with seats left. Answer ``data.events[]{product_short_id, time,
  time_iso8601, status, seats{total, reserved, left}}``.
* ``product/tour/insertindividualevents`` with ``data{product_short_id, start_date, end_date,
  time, current_service_only}``: adds a departure at ``time`` (``HH:MM``, UTC) on each day of
  the range. Answers ``data.events[]`` (the added ones).
* ``product/checkpromocode`` with ``data{product_short_id, date_event, promo_code}`` (the
  plugin sends ``''`` for what it lacks). Answers ``data.promo_code{code, valid, discount}``;
  an unknown code is a SUCCESS with ``valid: false``.

Another published client reads ``product/getcalendardata`` with ``data{product_short_ids,
start_date, end_date}`` as ``data.events[]{time, time_iso8601, products[]{short_id, timezone,
status{status}, seats{total, reserved, left}}}``.

The shapes of these answers are the emulator's choice where the clients do not show them.
Dates are Unix seconds (integer or digit string) or ``YYYY-MM-DD``; the range defaults to
the next 7 days and may span at most 92 days (assumed). Without a product every enabled
product's departures are listed. A departure's seats are held by the bookings at its
instant (cancelled ones hold none); one in the past or with no seat left is ``closed``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import iso
from harness.emulators.turitop._data import Store
from harness.emulators.turitop._envelope import ApiError
from harness.emulators.turitop._operations import find_product, is_int, optional_text
from harness.emulators.turitop._products import CAPACITY, PROMO_CODES, Product

DAY = 86400
DEFAULT_DAYS = 7
MAX_DAYS = 92
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def _date(data: dict[str, Any], name: str, default: int, *, day_end: bool = False) -> int:
    """Unix seconds of ``data[name]``; a ``YYYY-MM-DD`` end date means the end of that day."""
    value = data.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if is_int(value) and value >= 0:
        return int(value)
    if isinstance(value, str):
        try:
            day = int(datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC).timestamp())
            return day + DAY - 1 if day_end else day
        except ValueError:
            pass
    raise ApiError(
        400,
        f"data.{name} must be Unix seconds or a YYYY-MM-DD date",
        {"field": f"data.{name}", "value": value},
    )


def _range(ctx: EmulatorContext, data: dict[str, Any]) -> tuple[int, int]:
    today = int(ctx.clock.now()) // DAY * DAY
    start = _date(data, "start_date", today)
    end = _date(data, "end_date", start + DEFAULT_DAYS * DAY - 1, day_end=True)
    if end < start or end - start > MAX_DAYS * DAY:
        raise ApiError(
            400,
            f"data.end_date must follow data.start_date by at most {MAX_DAYS} days",
            {"start_date": start, "end_date": end},
        )
    return start, end


def _products(store: Store, data: dict[str, Any], name: str = "product_short_id") -> list[Product]:
    wanted = optional_text(data, name, "data")
    if wanted:
        return [find_product(store, wanted, "data")]
    return [p for p in store.products if not p.disabled]


def _times(store: Store, product: Product, start: int, end: int) -> list[int]:
    times = {day + t for day in range(start // DAY * DAY, end + 1, DAY) for t in product.departures}
    times |= store.extra_events.get(product.short_id, set())
    times |= {b.date_event for b in store.bookings if b.product is product}
    return sorted(t for t in times if start <= t <= end)


def _seats(store: Store, product: Product, time: int) -> dict[str, int]:
    reserved = sum(b.seats for b in store.bookings if b.product is product and b.date_event == time)
    return {"total": CAPACITY, "reserved": reserved, "left": max(0, CAPACITY - reserved)}


def _event(ctx: EmulatorContext, store: Store, product: Product, time: int) -> dict[str, Any]:
    seats = _seats(store, product, time)
    is_open = seats["left"] > 0 and time > ctx.clock.now()
    return {
        "product_short_id": product.short_id,
        "time": time,
        "time_iso8601": iso(time),
        "status": "open" if is_open else "closed",
        "seats": seats,
    }


def _events(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> list[dict[str, Any]]:
    optional_text(data, "language_code", "data")
    start, end = _range(ctx, data)
    return [
        _event(ctx, store, p, t)
        for p in _products(store, data)
        for t in _times(store, p, start, end)
    ]


def get_events(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    return {"events": _events(ctx, store, data)}


def get_available(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    return {"events": [e for e in _events(ctx, store, data) if e["status"] == "open"]}


def get_calendar(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    ids = data.get("product_short_ids", [])
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ApiError(400, "data.product_short_ids must be a list of short_ids")
    products = [find_product(store, i, "data") for i in ids] or _products(store, {})
    start, end = _range(ctx, data)
    by_time: dict[int, list[dict[str, Any]]] = {}
    for product in products:
        for time in _times(store, product, start, end):
            event = _event(ctx, store, product, time)
            by_time.setdefault(time, []).append(
                {
                    "short_id": product.short_id,
                    "timezone": product.timezone,
                    "status": {"status": event["status"]},
                    "seats": event["seats"],
                }
            )
    events = [{"time": t, "time_iso8601": iso(t), "products": by_time[t]} for t in sorted(by_time)]
    return {"events": events}


def insert_individual_events(
    ctx: EmulatorContext, store: Store, data: dict[str, Any]
) -> dict[str, Any]:
    product = find_product(store, optional_text(data, "product_short_id", "data"), "data")
    text = data.get("time")
    match = _TIME.match(text) if isinstance(text, str) else None
    if match is None:
        raise ApiError(400, "data.time must be HH:MM", {"field": "data.time", "value": text})
    if "start_date" not in data or "end_date" not in data:
        raise ApiError(400, "data.start_date and data.end_date are required")
    start, end = _range(ctx, data)
    offset = int(match[1]) * 3600 + int(match[2]) * 60
    added = [day + offset for day in range(start // DAY * DAY, end + 1, DAY)]
    store.extra_events.setdefault(product.short_id, set()).update(added)
    return {"events": [_event(ctx, store, product, t) for t in added]}


def check_promo_code(ctx: EmulatorContext, store: Store, data: dict[str, Any]) -> dict[str, Any]:
    code = optional_text(data, "promo_code", "data")
    if not code:
        raise ApiError(400, "data.promo_code is required", {"missing": ["data.promo_code"]})
    if optional_text(data, "product_short_id", "data"):
        _products(store, data)  # an unknown product is a 404
    percent = PROMO_CODES.get(code.upper())
    return {
        "promo_code": {
            "code": code,
            "valid": percent is not None,
            "discount": {"type": "percent", "value": percent or 0},
        }
    }
