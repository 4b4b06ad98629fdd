"""Seeded agencies, agents and policies, the seeded credentials, and the validation of
create bodies.

Ids are MongoDB ObjectIds whose first four bytes are the record's creation second;
every date is ISO 8601 UTC with milliseconds and Z. Collections keep creation order.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import DATA_EPOCH, past_times, rng, seeded_objectid
from harness.emulators.turris._envelope import OBJECT_ID, stamp_ms

CLIENT_ID = "65f1c0de9a4b2e0012c3d4e5"
CLIENT_SECRET = "tsk_sandbox_4f9a2c7e81b34d6fa0c95e2b7d1f3a68"
RESTRICTED_TOKEN = "trt_sandbox_9c2e5a7b1d3f48e6a0b4c8d2e6f1a3b5"

AGENCY_COUNT = 260
AGENT_COUNT = 520
POLICY_COUNT = 780
DAY = 86400

STATUSES = {
    "agencies": ("active", "inactive", "pending"),
    "agents": ("active", "inactive", "pending", "terminated"),
    "policies": ("active", "pending", "cancelled", "expired"),
}
DEFAULT_STATUS = {"agencies": "active", "agents": "active", "policies": "pending"}
ID_FIELDS = {"agencies": "agencyId", "agents": "agentId", "policies": "policyId"}
SINGULAR = {"agencies": "agency", "agents": "agent", "policies": "policy"}

_AGENCY_WORDS = (
    "Summit",
    "Harbor",
    "Pioneer",
    "Keystone",
    "Evergreen",
    "Liberty",
    "Beacon",
    "Granite",
    "Prairie",
    "Cascade",
    "Lakeshore",
    "Redwood",
    "Meridian",
    "Northstar",
    "Heritage",
    "Atlas",
)
_AGENCY_KINDS = (
    "Insurance Agency",
    "Insurance Group",
    "Risk Partners",
    "Insurance Services",
    "Brokerage",
    "Benefits LLC",
)
_FIRST = (
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Elijah",
    "Sophia",
    "Mateo",
    "Mia",
    "Lucas",
    "Amelia",
    "Ethan",
    "Harper",
    "James",
    "Layla",
    "Henry",
    "Priya",
    "Wei",
    "Fatima",
    "Diego",
)
_LAST = (
    "Smith",
    "Johnson",
    "Garcia",
    "Nguyen",
    "Patel",
    "Brown",
    "Martinez",
    "Kim",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Okafor",
    "Rossi",
    "Cohen",
    "Haddad",
    "Silva",
    "Baker",
)
_CITIES = (
    ("Austin", "TX"),
    ("Denver", "CO"),
    ("Columbus", "OH"),
    ("Tampa", "FL"),
    ("Raleigh", "NC"),
    ("Phoenix", "AZ"),
    ("Boise", "ID"),
    ("Portland", "OR"),
    ("Madison", "WI"),
    ("Richmond", "VA"),
    ("Omaha", "NE"),
    ("Hartford", "CT"),
)
_CARRIERS = (
    "Travelers",
    "Progressive",
    "Hartford",
    "Chubb",
    "Nationwide",
    "Liberty Mutual",
    "Erie Insurance",
    "Cincinnati Financial",
)
_LINES = (
    "auto",
    "home",
    "commercial-property",
    "general-liability",
    "workers-comp",
    "life",
    "umbrella",
)


def credentials() -> dict[str, str]:
    """The sandbox client (for POST /auth/jwt) and the restricted access token."""
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "restricted_token": RESTRICTED_TOKEN,
    }


def _ms(r: random.Random, seconds: float) -> int:
    return int(seconds) * 1000 + r.randrange(1000)


def _updated(r: random.Random, created: int) -> int:
    end = int(DATA_EPOCH * 1000)
    return created if r.random() < 0.3 else r.randrange(created, max(created + 1, end))


@dataclass
class Records:
    """The three collections, in creation order, with an index by id."""

    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    by_id: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def add(self, collection: str, record: dict[str, Any]) -> None:
        self.lists.setdefault(collection, []).append(record)
        self.by_id.setdefault(collection, {})[record[ID_FIELDS[collection]]] = record

    def get(self, collection: str, record_id: str) -> dict[str, Any] | None:
        return self.by_id.get(collection, {}).get(record_id)

    def all(self, collection: str) -> list[dict[str, Any]]:
        return self.lists.get(collection, [])

    def taken(self, object_id: str) -> bool:
        return any(object_id in index for index in self.by_id.values())


def seed_records(ctx: EmulatorContext) -> Records:
    """Deterministic collections for ``ctx.seed``."""
    records = Records()
    r = rng(ctx, "records")
    agency_times = past_times(r, AGENCY_COUNT, span_days=730)
    for index, t in enumerate(agency_times):
        created = _ms(r, t)
        city, state = _CITIES[r.randrange(len(_CITIES))]
        word = _AGENCY_WORDS[index % len(_AGENCY_WORDS)]
        name = f"{word} {_AGENCY_KINDS[r.randrange(len(_AGENCY_KINDS))]} of {city} #{index + 1}"
        records.add(
            "agencies",
            {
                "agencyId": seeded_objectid(r, t),
                "name": name,
                "status": r.choices(STATUSES["agencies"], (85, 10, 5))[0],
                "npn": str(r.randrange(10_000_000, 99_999_999)),
                "email": f"contact{index + 1}@{word.lower()}-agency.example.com",
                "phone": f"+1-555-{r.randrange(100, 999)}-{r.randrange(1000, 9999)}",
                "address": {
                    "line1": f"{r.randrange(1, 9999)} Main Street",
                    "city": city,
                    "state": state,
                    "postalCode": f"{r.randrange(10000, 99999)}",
                },
                "createdAt": stamp_ms(created),
                "updatedAt": stamp_ms(_updated(r, created)),
            },
        )
    agencies = records.all("agencies")
    for index, t in enumerate(past_times(r, AGENT_COUNT, span_days=365)):
        created = _ms(r, t)
        agency = agencies[r.randrange(bisect.bisect_left(agency_times, t))]
        first, last = _FIRST[r.randrange(len(_FIRST))], _LAST[r.randrange(len(_LAST))]
        records.add(
            "agents",
            {
                "agentId": seeded_objectid(r, t),
                "agencyId": agency["agencyId"],
                "firstName": first,
                "lastName": last,
                "email": f"{first.lower()}.{last.lower()}.{index + 1}@agents.example.com",
                "npn": str(r.randrange(10_000_000, 99_999_999)),
                "status": r.choices(STATUSES["agents"], (80, 8, 7, 5))[0],
                "createdAt": stamp_ms(created),
                "updatedAt": stamp_ms(_updated(r, created)),
            },
        )
    agents = records.all("agents")
    agent_times = [int(a["agentId"][:8], 16) for a in agents]
    for index, t in enumerate(past_times(r, POLICY_COUNT, span_days=300)):
        created = _ms(r, t)
        agent = agents[r.randrange(max(1, bisect.bisect_left(agent_times, t)))]
        effective = (int(t) // DAY + r.randrange(0, 30)) * DAY
        expiration = effective + (365 if r.random() < 0.8 else 182) * DAY
        status = (
            "expired"
            if expiration < DATA_EPOCH
            else r.choices(STATUSES["policies"][:3], (85, 7, 8))[0]
        )
        policy: dict[str, Any] = {
            "policyId": seeded_objectid(r, t),
            "agencyId": agent["agencyId"],
            "agentId": agent["agentId"],
            "policyNumber": f"TRS-{2024 + index * 2 // POLICY_COUNT}-{index + 1:06d}",
            "carrier": _CARRIERS[r.randrange(len(_CARRIERS))],
            "lineOfBusiness": _LINES[r.randrange(len(_LINES))],
            "premium": round(r.uniform(350, 25000), 2),
            "currency": "USD",
            "status": status,
            "effectiveDate": stamp_ms(effective * 1000),
            "expirationDate": stamp_ms(expiration * 1000),
            "createdAt": stamp_ms(created),
            "updatedAt": stamp_ms(_updated(r, created)),
        }
        if r.random() < 0.05:  # written directly by the agency, no producing agent
            del policy["agentId"]
        records.add("policies", policy)
    return records


# ---------------------------------------------------------------- create bodies


def _text(body: dict[str, Any], name: str, errors: list[str], *, required: bool) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            errors.append(f"Field '{name}' is required")
        return None
    if not isinstance(value, str):
        errors.append(f"Field '{name}' must be a string")
        return None
    if not value.strip():
        errors.append(f"Field '{name}' should not be empty")
        return None
    return value


def _status(collection: str, body: dict[str, Any], errors: list[str]) -> str:
    value = _text(body, "status", errors, required=False)
    allowed = STATUSES[collection]
    if value is not None and value not in allowed:
        errors.append(f"Field 'status' must be one of: {', '.join(allowed)}")
    return value if value in allowed else DEFAULT_STATUS[collection]


def _ref(
    records: Records, body: dict[str, Any], collection: str, errors: list[str], *, required: bool
) -> dict[str, Any] | None:
    name = ID_FIELDS[collection]
    value = _text(body, name, errors, required=required)
    if value is None:
        return None
    if not OBJECT_ID.match(value):
        errors.append(f"Field '{name}' must be a MongoDB ObjectId (24 hex characters)")
        return None
    found = records.get(collection, value)
    if found is None:
        errors.append(f"Field '{name}' does not match an existing {SINGULAR[collection]}")
    return found


def _date(body: dict[str, Any], name: str, errors: list[str]) -> int | None:
    value = _text(body, name, errors, required=False)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errors.append(f"Field '{name}' must be an ISO 8601 date-time")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def build_record(
    records: Records, collection: str, body: dict[str, Any], object_id: str, created: int
) -> tuple[dict[str, Any] | None, list[str]]:
    """A new record from a create body, or the list of what is wrong with it."""
    errors: list[str] = []
    record: dict[str, Any] = {ID_FIELDS[collection]: object_id}
    if collection == "agencies":
        record["name"] = _text(body, "name", errors, required=True)
        for extra in ("npn", "email", "phone"):
            if (value := _text(body, extra, errors, required=False)) is not None:
                record[extra] = value
        if isinstance(body.get("address"), dict):
            record["address"] = body["address"]
        elif body.get("address") is not None:
            errors.append("Field 'address' must be an object")
    elif collection == "agents":
        agency = _ref(records, body, "agencies", errors, required=True)
        record["agencyId"] = agency["agencyId"] if agency else None
        record["firstName"] = _text(body, "firstName", errors, required=True)
        record["lastName"] = _text(body, "lastName", errors, required=True)
        email = _text(body, "email", errors, required=False)
        if email is not None and (
            email.count("@") != 1 or email.startswith("@") or email.endswith("@")
        ):
            errors.append("Field 'email' must be an email address")
        elif email is not None:
            record["email"] = email
        if (npn := _text(body, "npn", errors, required=False)) is not None:
            record["npn"] = npn
    else:
        agency = _ref(records, body, "agencies", errors, required=True)
        agent = _ref(records, body, "agents", errors, required=False)
        record["agencyId"] = agency["agencyId"] if agency else None
        if agent is not None:
            if agency is not None and agent["agencyId"] != agency["agencyId"]:
                errors.append("Field 'agentId' must name an agent of the given agency")
            record["agentId"] = agent["agentId"]
        record["policyNumber"] = _text(body, "policyNumber", errors, required=True)
        for extra in ("carrier", "lineOfBusiness"):
            if (value := _text(body, extra, errors, required=False)) is not None:
                record[extra] = value
        premium = body.get("premium")
        if premium is not None:
            if isinstance(premium, bool) or not isinstance(premium, int | float) or premium < 0:
                errors.append("Field 'premium' must be a number >= 0")
            else:
                record["premium"] = premium
                record["currency"] = "USD"
        day_start = created // (DAY * 1000) * DAY * 1000
        effective = _date(body, "effectiveDate", errors) or day_start
        expiration = _date(body, "expirationDate", errors) or effective + 365 * DAY * 1000
        if expiration <= effective:
            errors.append("Field 'expirationDate' must be after 'effectiveDate'")
        record["effectiveDate"] = stamp_ms(effective)
        record["expirationDate"] = stamp_ms(expiration)
    record["status"] = _status(collection, body, errors)
    record["createdAt"] = record["updatedAt"] = stamp_ms(created)
    return (None, errors) if errors else (record, [])
