"""Seeded TopTickets data: API keys, customers, teams, users, tickets and their comments.

API keys: tiers by prefix, permissions as resource:action scopes. toptickets.txt (Rate
Limiting) names the tt_admin_ and tt_ro_ key types; PUBLIC-FACTS.md adds tt_agent_ and
tt_live_ and the resource:action scopes (403 "Insufficient permissions. Required scope:
tickets:write").

Everything is derived from ``ctx.seed`` through ``_kit.rng`` so two emulators with the
same seed serve the same records. Ids are UUIDs, timestamps ISO 8601 UTC with ``Z``
(toptickets.txt, Data Types); ticket fields follow PUBLIC-FACTS.md.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import iso, past_times, rng, seeded_uuid

Record = dict[str, Any]

ADMIN_KEY = "tt_admin_4f9c2e7a1b8d4c3e9a6f0b2d7e5c1a38"
RO_KEY = "tt_ro_8b1e6d4a2c9f4e7b8a3d5c0f1e2b9a74"
# Not in credentials() (the profile has no credential keys for them): for the tier tests.
AGENT_KEY = "tt_agent_2d7f9a4c6e1b4d8a9c3e7f0a5b6d2c81"
LIVE_KEY = "tt_live_6a3c8e1f4b2d4a7c9e5f1b0d8c3a6e29"

READ_SCOPES = frozenset(
    {"tickets:read", "comments:read", "customers:read", "teams:read", "users:read"}
)
WRITE_SCOPES = frozenset({"tickets:write", "comments:write"})

KEYS: dict[str, frozenset[str]] = {
    ADMIN_KEY: READ_SCOPES | WRITE_SCOPES,
    RO_KEY: READ_SCOPES,
    AGENT_KEY: READ_SCOPES | WRITE_SCOPES,
    LIVE_KEY: READ_SCOPES | WRITE_SCOPES,
}


def credentials() -> dict[str, str]:
    """The seeded keys, by the profile's credential names."""
    return {"api_key": ADMIN_KEY, "ro_api_key": RO_KEY}


def bearer_key(authorization: str | None) -> str | None:
    """The API key of an ``Authorization: Bearer <key>`` header, if it is a known key."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or token not in KEYS:
        return None
    return token


TICKETS = 287  # not a multiple of 50/100/500: every documented page size ends on a short page
CUSTOMERS = 120
TEAMS = 6
USERS = 36
FIRST_TICKET_NUMBER = 1001
STATUSES = ("new", "open", "pending", "resolved", "closed")
PRIORITIES = ("low", "medium", "high", "urgent")
CATEGORIES = ("billing", "technical", "account", "feature_request", "shipping", None)

_TEAM_NAMES = ("Tier 1 Support", "Tier 2 Support", "Billing", "Onboarding", "Escalations", "VIP")
_FIRST = (
    "Ana",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elif",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kenji",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
)
_LAST = (
    "Almeida",
    "Becker",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
)
_COMPANIES = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Vandelay",
)
_SUBJECTS = (
    "Login issue after password reset",
    "Cannot log in with SSO",
    "Invoice shows the wrong amount",
    "Refund not received",
    "App crashes when uploading a file",
    "Export to CSV times out",
    "Feature request: dark mode",
    "Order stuck in processing",
    "Two-factor code never arrives",
    "Webhook deliveries failing",
    "Cannot change billing address",
    "Dashboard loads slowly",
    "Email notifications missing",
    "API returns 500 on search",
    "Account locked after failed attempts",
    "Shipping label not generated",
)
_DETAILS = (
    "Customer reports the problem started this morning.",
    "Happens on every attempt; screenshots attached to the first comment.",
    "Reproduced on Chrome and Firefox.",
    "Only affects users in the EU region.",
    "The customer is on the Enterprise plan and asks for a quick answer.",
    None,
)
_COMMENTS = (
    "Thanks for reaching out, we are looking into it.",
    "Could you send us a screenshot of the error?",
    "Escalated to Tier 2.",
    "Internal: linked to incident INC-2231.",
    "The fix has been deployed, please try again.",
    "Customer confirmed the issue is resolved.",
    "Waiting for the customer to reply.",
)

_DAY = 86400


@dataclass
class Database:
    """The in-memory state of one emulator instance."""

    customers: list[Record] = field(default_factory=list)
    teams: list[Record] = field(default_factory=list)
    users: list[Record] = field(default_factory=list)
    tickets: dict[str, Record] = field(default_factory=dict)
    comments: dict[str, list[Record]] = field(default_factory=dict)
    next_number: int = FIRST_TICKET_NUMBER

    def ordered_tickets(self) -> list[Record]:
        """Tickets in the stable list order: created_at, then id."""
        return sorted(self.tickets.values(), key=lambda t: (t["created_at"], t["id"]))


def _name(r: random.Random) -> tuple[str, str]:
    first, last = r.choice(_FIRST), r.choice(_LAST)
    return first, last


def _teams(ctx: EmulatorContext) -> list[Record]:
    r = rng(ctx, "teams")
    times = past_times(r, TEAMS, span_days=900)
    return [
        {
            "id": seeded_uuid(r),
            "name": name,
            "description": f"{name} queue",
            "created_at": iso(t),
            "updated_at": iso(t + r.randrange(0, 200) * _DAY),
        }
        for name, t in zip(_TEAM_NAMES, times, strict=True)
    ]


def _users(ctx: EmulatorContext, teams: list[Record]) -> list[Record]:
    r = rng(ctx, "users")
    users = []
    for index, t in enumerate(past_times(r, USERS, span_days=800)):
        first, last = _name(r)
        users.append(
            {
                "id": seeded_uuid(r),
                "email": f"{first}.{last}{index}@toptickets.example".lower(),
                "full_name": f"{first} {last}",
                "role": "admin" if index < 3 else "agent",
                "is_active": r.random() > 0.1,
                "team_id": r.choice(teams)["id"] if r.random() > 0.15 else None,
                "created_at": iso(t),
                "updated_at": iso(t + r.randrange(0, 90) * _DAY),
            }
        )
    return users


def _customers(ctx: EmulatorContext) -> list[Record]:
    r = rng(ctx, "customers")
    customers = []
    for index, t in enumerate(past_times(r, CUSTOMERS, span_days=700)):
        first, last = _name(r)
        company = r.choice(_COMPANIES)
        customers.append(
            {
                "id": seeded_uuid(r),
                "name": f"{first} {last}",
                "email": f"{first}.{last}{index}@{company}.example".lower()
                if r.random() > 0.05
                else None,
                "company": company,
                "created_at": iso(t),
                "updated_at": iso(t + r.randrange(0, 60) * _DAY),
            }
        )
    return customers


def _ticket(r: random.Random, number: int, t: float, db: Database) -> Record:
    status = r.choices(STATUSES, weights=(2, 4, 2, 3, 4))[0]
    assigned = status != "new" or r.random() < 0.2
    user = r.choice(db.users) if assigned else None
    resolved = t + r.randrange(3600, 20 * _DAY) if status in ("resolved", "closed") else None
    closed = resolved + r.randrange(0, 5 * _DAY) if status == "closed" and resolved else None
    updated = max(x for x in (t + r.randrange(0, 3 * _DAY), resolved, closed) if x is not None)
    subject = r.choice(_SUBJECTS)
    return {
        "id": seeded_uuid(r),
        "ticket_number": number,
        "ticket_display_id": f"TKT-{number}",
        "customer_id": r.choice(db.customers)["id"] if r.random() > 0.03 else None,
        "subject": subject,
        "description": r.choice(_DETAILS),
        "status": status,
        "priority": r.choices(PRIORITIES, weights=(3, 5, 3, 1))[0],
        "category": r.choice(CATEGORIES),
        "assigned_user_id": user["id"] if user else None,
        "assigned_team_id": (user["team_id"] if user else None)
        or (r.choice(db.teams)["id"] if assigned else None),
        "due_date": iso(t + r.randrange(1, 15) * _DAY) if r.random() > 0.4 else None,
        "created_at": iso(t),
        "updated_at": iso(updated),
        "resolved_at": iso(resolved) if resolved else None,
        "closed_at": iso(closed) if closed else None,
    }


def _comments(r: random.Random, ticket: Record, t: float, db: Database) -> list[Record]:
    count = r.choice((0, 1, 2, 2, 3, 3, 4, 6))
    times = sorted(t + r.randrange(60, 10 * _DAY) for _ in range(count))
    comments = []
    for moment in times:
        body = r.choice(_COMMENTS)
        comments.append(
            {
                "id": seeded_uuid(r),
                "ticket_id": ticket["id"],
                "body": body,
                "is_internal": body.startswith("Internal"),
                "author_user_id": r.choice(db.users)["id"] if r.random() > 0.3 else None,
                "created_at": iso(moment),
                "updated_at": iso(moment),
            }
        )
    return sorted(comments, key=lambda c: (c["created_at"], c["id"]))


def seed(ctx: EmulatorContext) -> Database:
    """The seeded database of one emulator (deterministic for ``ctx.seed``)."""
    db = Database()
    db.teams = _teams(ctx)
    db.users = _users(ctx, db.teams)
    db.customers = _customers(ctx)
    r = rng(ctx, "tickets")
    rc = rng(ctx, "comments")
    for t in past_times(r, TICKETS, span_days=365):
        ticket = _ticket(r, db.next_number, t, db)
        db.next_number += 1
        db.tickets[ticket["id"]] = ticket
        db.comments[ticket["id"]] = _comments(rc, ticket, t, db)
    return db
