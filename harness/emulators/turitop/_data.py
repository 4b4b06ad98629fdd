"""Seeded TuriTop records (products, ticket types, services, bookings) and credentials.

Everything comes from ``_kit.rng`` streams of the emulator's seed, so two emulators
with the same seed serve the same data. Amounts are kept as integer cents and
rendered as decimal strings (``"45.00"``) as PUBLIC-FACTS describes ``total_price``.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import iso, past_times, rng
from harness.emulators.turitop._products import PROMO_CODES, Product, TicketType, money

COMPANY_SHORT_ID = "C4T7Z2"  # the one seeded account
SECRET_KEY = "tt-sk-5f3a9c2e7b1d4068a9e2c7f01b3d5e8a"
BOOKING_COUNT = 300
STATUSES = ("confirmed", "pending", "cancelled")  # of the seeded bookings
# statuses a write may set: the seeded ones and those the published clients send
WRITABLE_STATUSES = (*STATUSES, "paid", "not paid")

_ALNUM = string.ascii_uppercase + string.digits
_TOURS = (
    "Sunset kayak tour",
    "Old town walking tour",
    "Tapas & wine evening",
    "Cathedral rooftops",
    "Mountain e-bike ride",
    "Flamenco show",
    "Sailing day trip",
    "Cooking class: paella",
    "Cave exploration",
    "Dolphin watching",
    "Street art bike tour",
    "Vineyard visit",
    "Night ghost walk",
    "Snorkelling discovery",
    "Hot-air balloon flight",
    "Olive oil tasting",
    "Canyoning half day",
    "Photography walk",
    "Horse riding trail",
    "Segway city tour",
)
_TICKETS = (("Adult", 100), ("Child", 55), ("Senior", 80), ("Student", 75), ("Infant", 0))
_SERVICES = (
    ("Guide - Marta", 15),
    ("Guide - Jordi", 15),
    ("Kayak fleet", 24),
    ("Minibus 1", 16),
    ("Minibus 2", 16),
    ("Sailing boat Alba", 12),
    ("Kitchen studio", 10),
    ("Bike pool", 30),
)
_FIRST = (
    ("Ana", "ana"),
    ("José", "jose"),
    ("Lucía", "lucia"),
    ("Marc", "marc"),
    ("Núria", "nuria"),
    ("Peter", "peter"),
    ("Emma", "emma"),
    ("Søren", "soren"),
    ("Chloé", "chloe"),
    ("Liam", "liam"),
    ("Yuki", "yuki"),
    ("Óscar", "oscar"),
    ("Sara", "sara"),
    ("Tom", "tom"),
)
_LAST = (
    ("Ruiz", "ruiz"),
    ("Martínez", "martinez"),
    ("García", "garcia"),
    ("Müller", "muller"),
    ("Smith", "smith"),
    ("Dubois", "dubois"),
    ("Rossi", "rossi"),
    ("Jensen", "jensen"),
    ("Fernández", "fernandez"),
    ("O'Brien", "obrien"),
    ("Tanaka", "tanaka"),
    ("Puig", "puig"),
)
_DOMAINS = ("example.com", "example.org", "example.net")


def credentials() -> dict[str, str]:
    """The seeded account's grant credentials (POST /authorization/grant)."""
    return {"short_id": COMPANY_SHORT_ID, "secret_key": SECRET_KEY}


def short_id(r: random.Random, prefix: str, length: int, taken: set[str]) -> str:
    """A unique TuriTop-style short id: a letter prefix and upper-case letters/digits."""
    while True:
        candidate = prefix + "".join(r.choice(_ALNUM) for _ in range(length))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


@dataclass
class Booking:
    short_id: str
    product: Product
    date_event: int
    date_booking: int
    status: str
    client: dict[str, str]
    counts: dict[int, int]
    notes: str = ""
    payment_gateway: str = ""
    promo_code: str = ""

    @property
    def total_cents(self) -> int:
        prices = {t.id: t.price_cents for t in self.product.tickets}
        full = sum(prices[i] * n for i, n in self.counts.items())
        return full * (100 - PROMO_CODES.get(self.promo_code, 0)) // 100

    @property
    def seats(self) -> int:
        """Seats the booking holds on its departure (a cancelled one holds none)."""
        return 0 if self.status == "cancelled" else sum(self.counts.values())

    def as_json(self, *, price_as_number: bool = False, iso_shift: int = 0) -> dict[str, Any]:
        """The wire form; the keyword arguments exist only for the emulator's faults."""
        total: str | float = money(self.total_cents)
        if price_as_number:
            total = self.total_cents / 100
        return {
            "short_id": self.short_id,
            "product_short_id": self.product.short_id,
            "product_name": self.product.name,
            "date_event": self.date_event,
            "date_event_iso8601": iso(self.date_event + iso_shift),
            "date_booking": self.date_booking,
            "status": self.status,
            "currency": self.product.currency,
            "total_price": total,
            "client_data": dict(self.client),
            "ticket_type_count": [
                {"id": t.id, "name": t.name, "count": self.counts.get(t.id, 0)}
                for t in self.product.tickets
            ],
            "notes": self.notes,
            "payment_gateway": self.payment_gateway,
            "promo_code": self.promo_code,
        }


@dataclass
class Store:
    """The in-memory state of one company account."""

    company_short_id: str
    products: list[Product]
    services: list[dict[str, Any]]
    bookings: list[Booking]
    taken_ids: set[str]
    id_rng: random.Random
    # departures added by product/tour/insertindividualevents: product short_id -> times
    extra_events: dict[str, set[int]] = field(default_factory=dict)

    def product(self, product_short_id: str) -> Product | None:
        return next((p for p in self.products if p.short_id == product_short_id), None)

    def booking(self, booking_short_id: str) -> Booking | None:
        return next((b for b in self.bookings if b.short_id == booking_short_id), None)

    def new_booking_id(self) -> str:
        return short_id(self.id_rng, "B", 7, self.taken_ids)


def random_client(r: random.Random) -> dict[str, str]:
    first, first_ascii = r.choice(_FIRST)
    last, last_ascii = r.choice(_LAST)
    email = f"{first_ascii}.{last_ascii}{r.randrange(1, 99)}@{r.choice(_DOMAINS)}"
    phone = f"+34 6{r.randrange(10, 99)} {r.randrange(100, 999)} {r.randrange(100, 999)}"
    return {"name": f"{first} {last}", "email": email, "phone": phone}


def _products(r: random.Random, taken: set[str]) -> list[Product]:
    products: list[Product] = []
    ticket_id = 101
    for index, name in enumerate(_TOURS):
        product = Product(
            short_id=short_id(r, "P", 5, taken),
            name=name,
            disabled=index % 7 == 6,
            currency="GBP" if index % 9 == 4 else "USD" if index % 11 == 7 else "EUR",
            index=index,
        )
        base = r.randrange(15, 120) * 100
        kinds = r.sample(_TICKETS[1:], r.randrange(1, 4))
        for ticket_name, percent in [_TICKETS[0], *sorted(kinds, key=_TICKETS.index)]:
            price = (base * percent // 100) // 50 * 50
            product.tickets.append(TicketType(ticket_id, ticket_name, price, product.short_id))
            ticket_id += 1
        products.append(product)
    return products


def _services(r: random.Random, taken: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "short_id": short_id(r, "S", 5, taken),
            "name": name,
            "capacity": capacity,
            "disabled": index == len(_SERVICES) - 1,
        }
        for index, (name, capacity) in enumerate(_SERVICES)
    ]


def _bookings(r: random.Random, products: list[Product], taken: set[str]) -> list[Booking]:
    bookings: list[Booking] = []
    for booked_at in past_times(r, BOOKING_COUNT):
        product = r.choice(products[:-3] if r.random() < 0.9 else products)
        day = int(booked_at) // 86400 + r.randrange(1, 60)
        event = day * 86400 + r.randrange(8, 19) * 3600 + r.choice((0, 1800))
        counts = {t.id: r.choice((0, 0, 1, 1, 2, 3, 4)) for t in product.tickets}
        counts[product.tickets[0].id] = max(1, counts[product.tickets[0].id])
        status = r.choices(STATUSES, weights=(70, 15, 15))[0]
        bookings.append(
            Booking(
                short_id=short_id(r, "B", 7, taken),
                product=product,
                date_event=event,
                date_booking=int(booked_at),
                status=status,
                client=random_client(r),
                counts=counts,
            )
        )
    return bookings


def seed_store(ctx: EmulatorContext) -> Store:
    r = rng(ctx, "data")
    taken: set[str] = set()
    products = _products(r, taken)
    services = _services(r, taken)
    bookings = _bookings(r, products, taken)
    return Store(COMPANY_SHORT_ID, products, services, bookings, taken, rng(ctx, "new-ids"))
