"""TuriTop products, their ticket types and promo codes.

A product carries what ``POST /product/getproducts`` answers: ``short_id``, ``name`` and
``disabled`` (PUBLIC-FACTS) and the fields the vendor's WordPress plugin reads when it
synchronises services (``summary``, ``description``, ``flow``, ``pricing_notes``,
``duration``, ``timezone``, ``company_categories`` and ``images[].url``; the plugin strips
each URL's query string, so ours carry one). The values of those fields are the emulator's
own: the plugin shows their names, not their formats, so ``duration`` is minutes as a
string and ``company_categories`` a list of ``{id, name}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CATEGORIES = (
    {"id": 1, "name": "Tours"},
    {"id": 2, "name": "Food & drink"},
    {"id": 3, "name": "Outdoor"},
    {"id": 4, "name": "Shows"},
)
FLOWS = ("tour", "tour", "activity")
TIMEZONES = ("Europe/Madrid", "Europe/Madrid", "Atlantic/Canary")
CAPACITY = 20  # seats of every departure (the emulator's choice)
# Promo codes the seeded account knows: code -> percent off (the emulator's choice).
PROMO_CODES = {"SUMMER10": 10, "WELCOME5": 5, "FRIENDS25": 25}


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@dataclass
class TicketType:
    id: int
    name: str
    price_cents: int
    product_short_id: str

    def as_json(self, currency: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "product_short_id": self.product_short_id,
            "price": money(self.price_cents),
            "currency": currency,
        }


@dataclass
class Product:
    short_id: str
    name: str
    disabled: bool
    currency: str
    index: int = 0
    tickets: list[TicketType] = field(default_factory=list)

    @property
    def timezone(self) -> str:
        return TIMEZONES[self.index % len(TIMEZONES)]

    @property
    def departures(self) -> tuple[int, ...]:
        """The daily departure times, seconds after midnight UTC."""
        return (10 * 3600, 12 * 3600 + 1800, 17 * 3600) if self.index % 2 else (11 * 3600,)

    def details(self) -> dict[str, Any]:
        """The descriptive fields the WordPress plugin reads (values are the emulator's)."""
        slug = self.name.lower().replace(" ", "-").replace("&", "and").replace(":", "")
        return {
            "summary": f"{self.name}: a small-group experience with a local guide.",
            "description": f"{self.name}.\nMeet your guide at the meeting point.\nEnjoy!",
            "flow": FLOWS[self.index % len(FLOWS)],
            "pricing_notes": "Children under 4 go free." if self.index % 3 == 0 else "",
            "duration": str(60 + 30 * (self.index % 6)),
            "timezone": self.timezone,
            "company_categories": [CATEGORIES[self.index % len(CATEGORIES)]],
            "images": [
                {"url": f"https://cdn.turitop.example/img/{self.short_id}/{slug}-{n}.jpg?w=1200"}
                for n in range(1 + self.index % 3)
            ],
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "short_id": self.short_id,
            "name": self.name,
            "disabled": self.disabled,
            **self.details(),
        }
