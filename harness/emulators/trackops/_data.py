"""Seeded Trackops records (users/employees, clients, cases/casefiles, expense entries) and
the seeded credentials.

Records are kept as plain dicts with their raw epoch times (``_created``, ``_updated``);
:func:`render` turns one into its JSON form. Each collection is sorted oldest first by
(created, id): ids rise with creation, as in a real database.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import iso, past_times, rng
from harness.emulators.trackops._expenses import COUNT as EXPENSE_ENTRIES
from harness.emulators.trackops._expenses import expense_entries
from harness.emulators.trackops._seed import Record as Record
from harness.emulators.trackops._seed import ids, ref, updated

USERNAME = "samspade"
LIMITED_USERNAME = "milesarcher"  # a Limited Access employee: refused by the API
API_TOKEN = "6f1c2a8e-4b7d-4e21-9c3a-2d5e8f017b94"  # the company API token (a UUID)


def credentials() -> dict[str, str]:
    """The seeded Full Access employee, the company API token, and a Limited Access
    employee (for the optional ``limited-basic`` scheme, which must be refused)."""
    return {"username": USERNAME, "api_token": API_TOKEN, "limited_username": LIMITED_USERNAME}


SIZES = {"users": 45, "clients": 260, "cases": 310, "expenses": EXPENSE_ENTRIES}

_FIRST = [
    "Sam",
    "Miles",
    "Effie",
    "Brigid",
    "Joel",
    "Kasper",
    "Iva",
    "Wilmer",
    "Tom",
    "Luke",
    "Nora",
    "Nick",
    "Philip",
    "Vivian",
    "Lew",
    "Jessica",
    "Dashiell",
    "Ray",
    "Ellery",
    "Kinsey",
    "Spenser",
    "Vera",
    "Harry",
    "Jules",
    "Paula",
]
_LAST = [
    "Spade",
    "Archer",
    "Perine",
    "Shaughnessy",
    "Cairo",
    "Gutman",
    "Dundy",
    "Polhaus",
    "Marlowe",
    "Archer",
    "Charles",
    "Wolfe",
    "Goodwin",
    "Millhone",
    "Hammer",
    "Queen",
    "Drake",
    "Rourke",
    "Mason",
    "Strand",
    "Cole",
    "Bosch",
    "Lane",
]
_COMPANY = [
    "Acme",
    "Pinnacle",
    "Harbor",
    "Summit",
    "Keystone",
    "Redwood",
    "Liberty",
    "Granite",
    "Beacon",
    "Evergreen",
    "Northstar",
    "Bluewater",
    "Ironclad",
    "Silverline",
    "Cobalt",
]
_KIND = [
    "Insurance Group",
    "Mutual",
    "Legal LLP",
    "Claims Services",
    "Law Firm",
    "Holdings",
    "Risk Management",
    "Casualty Co.",
    "Underwriters",
    "Partners",
]
_CITIES = [
    ("Chicago", "IL"),
    ("Denver", "CO"),
    ("Austin", "TX"),
    ("Tampa", "FL"),
    ("Portland", "OR"),
    ("Columbus", "OH"),
    ("Phoenix", "AZ"),
    ("Boston", "MA"),
]
_CASE_TYPES = [
    "Surveillance",
    "Background Check",
    "Insurance Fraud",
    "Skip Trace",
    "Workers Compensation",
    "Process Service",
    "Asset Search",
]
_CASE_STATUS = ["New", "In Progress", "On Hold", "Review", "Closed"]


@dataclass
class Dataset:
    """Every seeded collection, oldest first, plus lookups by id and username."""

    users: list[Record] = field(default_factory=list)
    clients: list[Record] = field(default_factory=list)
    cases: list[Record] = field(default_factory=list)
    expenses: list[Record] = field(default_factory=list)
    by_id: dict[str, dict[int, Record]] = field(default_factory=dict)
    users_by_name: dict[str, Record] = field(default_factory=dict)

    def collection(self, name: str) -> list[Record]:
        found: list[Record] = getattr(self, name)
        return found


def _users(r: random.Random) -> list[Record]:
    count = SIZES["users"]
    times = past_times(r, count, span_days=1500)
    users: list[Record] = []
    taken: set[str] = set()
    for i, (uid, ts) in enumerate(zip(ids(r, count, 0), times, strict=True)):
        if i == 0:
            first, last = "Sam", "Spade"
            username, level = USERNAME, "Full Access"
        elif i == 1:
            first, last = "Miles", "Archer"
            username, level = LIMITED_USERNAME, "Limited Access"
        else:
            first, last = r.choice(_FIRST), r.choice(_LAST)
            username = (first[0] + last).lower()
            while username in taken:
                username = f"{(first[0] + last).lower()}{r.randint(2, 99)}"
            level = "Full Access" if r.random() < 0.6 else "Limited Access"
        taken.add(username)
        users.append(
            {
                "id": uid,
                "username": username,
                "first_name": first,
                "last_name": last,
                "name": f"{first} {last}",
                "email": f"{username}@spadeinvestigations.example",
                "access_level": level,
                "active": True,
                "_created": ts,
                "_updated": updated(r, ts),
            }
        )
    return users


def _clients(r: random.Random, users: list[Record]) -> list[Record]:
    count = SIZES["clients"]
    times = past_times(r, count, span_days=730)
    out = []
    for cid, ts in zip(ids(r, count, 1000), times, strict=True):
        city, state = r.choice(_CITIES)
        name = f"{r.choice(_COMPANY)} {r.choice(_KIND)}"
        out.append(
            {
                "id": cid,
                "name": name,
                "client_type": r.choice(["Insurance", "Legal", "Corporate"]),
                "email": f"claims{cid}@client.example",
                "phone": f"555-{r.randint(100, 999)}-{r.randint(1000, 9999)}",
                "city": city,
                "state": state,
                "User": ref(r.choice(users)),
                "_created": ts,
                "_updated": updated(r, ts),
            }
        )
    return out


def _cases(r: random.Random, clients: list[Record], users: list[Record]) -> list[Record]:
    count = SIZES["cases"]
    times = past_times(r, count, span_days=365)
    client_times = [c["_created"] for c in clients]
    out = []
    for n, (cid, ts) in enumerate(zip(ids(r, count, 1500), times, strict=True), start=1):
        client = clients[r.randrange(max(1, bisect.bisect_left(client_times, ts)))]
        year = datetime.fromtimestamp(ts, tz=UTC).strftime("%y")
        out.append(
            {
                "id": cid,
                "case_number": f"{year}-{n:05d}",
                "case_type": r.choice(_CASE_TYPES),
                "status": r.choice(_CASE_STATUS),
                "Client": ref(client),
                "User": ref(r.choice(users)),
                "_created": ts,
                "_updated": updated(r, ts),
            }
        )
    return out


def build_dataset(ctx: EmulatorContext) -> Dataset:
    """The seeded collections of one emulator (deterministic from ``ctx.seed``)."""
    users = _users(rng(ctx, "users"))
    clients = _clients(rng(ctx, "clients"), users)
    cases = _cases(rng(ctx, "cases"), clients, users)
    expenses = expense_entries(rng(ctx, "expenses"), cases)
    data = Dataset(users=users, clients=clients, cases=cases, expenses=expenses)
    for name in ("users", "clients", "cases", "expenses"):
        items = data.collection(name)
        items.sort(key=lambda rec: (rec["_created"], rec["id"]))
        data.by_id[name] = {rec["id"]: rec for rec in items}
    data.users_by_name = {u["username"]: u for u in users}
    return data


_PLUS_TWO = timezone(timedelta(hours=2))


def timestamp(ts: float, plus_two: bool = False) -> str:
    """UTC with a Z; ``plus_two`` renders the same instant at +02:00 (the TRK-TIME-UTC fault)."""
    if not plus_two:
        return iso(ts)
    return datetime.fromtimestamp(ts, tz=_PLUS_TWO).strftime("%Y-%m-%dT%H:%M:%S+02:00")


def render(record: Record, plus_two: bool = False) -> Record:
    """The JSON form of a record: raw times become ``created`` / ``updated`` strings."""
    out = {k: v for k, v in record.items() if not k.startswith("_")}
    out["created"] = timestamp(record["_created"], plus_two)
    out["updated"] = timestamp(record["_updated"], plus_two)
    return out
