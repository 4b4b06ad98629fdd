"""Seeded TopTickets data: customers, teams, users, tickets and their comments (the API
keys are in ``_keys``).

Record fields follow the public reference's object tables (toptickets.pages.dev,
api-reference/tickets, comments, customers, teams, users): tickets carry a tracking_token
(UUID) and a free-text category such as "Technical"; comments have author_type and content.

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
from harness.emulators.toptickets._keys import AGENT_KEY, KEYS, LIVE_KEY, bearer_key, credentials

Record = dict[str, Any]

__all__ = [
    "AGENT_KEY",
    "KEYS",
    "LIVE_KEY",
    "PRIORITIES",
    "STATUSES",
    "TICKETS",
    "Database",
    "Record",
    "bearer_key",
    "credentials",
    "seed",
]

TICKETS = 287  # not a multiple of 50/100/500: every documented page size ends on a short page
CUSTOMERS = 120
TEAMS = 6
USERS = 36
FIRST_TICKET_NUMBER = 1001
STATUSES = ("new", "open", "pending", "resolved", "closed")
PRIORITIES = ("low", "medium", "high", "urgent")
CATEGORIES = ("Billing", "Technical", "Account", "Feature Request", "Shipping", None)
REGIONS = ("amer", "apac", "emea", "latam", "asean")
TIERS = ("tier_1", "tier_2", "tier_3", "tier_4")

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
    organization_id: str = ""

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
                "role": "admin" if index < 3 else "read_only_admin" if index == 3 else "agent",
                "is_active": r.random() > 0.1,
                "avatar_url": None,
                "employee_type": "permanent" if index % 7 else "contractor",
                "region": REGIONS[index % len(REGIONS)],
                "timezone": "UTC",
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
                "customer_tier": TIERS[index % len(TIERS)],
                "region": REGIONS[index % len(REGIONS)],
                "is_vip": index % 11 == 0,
                "has_premium_support": index % 3 == 0,
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
        "tracking_token": seeded_uuid(r),
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
        agent = r.choice(db.users) if r.random() > 0.3 or not ticket["customer_id"] else None
        comments.append(
            {
                "id": seeded_uuid(r),
                "ticket_id": ticket["id"],
                "author_type": "AGENT" if agent else "CUSTOMER",
                "author_user_id": agent["id"] if agent else None,
                "author_customer_id": None if agent else ticket["customer_id"],
                "content": body,
                "is_internal": body.startswith("Internal"),
                "created_at": iso(moment),
                "updated_at": iso(moment),
            }
        )
    return sorted(comments, key=lambda c: (c["created_at"], c["id"]))


def seed(ctx: EmulatorContext) -> Database:
    """The seeded database of one emulator (deterministic for ``ctx.seed``)."""
    db = Database()
    db.organization_id = seeded_uuid(rng(ctx, "organization"))
    db.teams = _teams(ctx)
    db.users = _users(ctx, db.teams)
    db.customers = _customers(ctx)
    for team in db.teams:
        team["members"] = [
            {"id": u["id"], "email": u["email"], "full_name": u["full_name"]}
            for u in db.users
            if u["team_id"] == team["id"]
        ]
    r = rng(ctx, "tickets")
    rc = rng(ctx, "comments")
    for t in past_times(r, TICKETS, span_days=365):
        ticket = _ticket(r, db.next_number, t, db)
        db.next_number += 1
        db.tickets[ticket["id"]] = ticket
        db.comments[ticket["id"]] = _comments(rc, ticket, t, db)
    return db
