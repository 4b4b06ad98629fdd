"""The seeded ITRP records (accounts, sites, people, requests), how they render, and the
seeded user's credentials.

Ids are global integers (as the document's site ids 13..18 show). The user
Howard Tanner (person 5, site 13) belongs to the "widget" account, which trusts
"wna" (Widget North America, sites 14-17) and "weu" (Widget Europe, site 18). The
"acme" account is not trusted: its people (person 1 among them, as in the
document's 403 example) and requests answer 403.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import DATA_EPOCH, iso, past_times, rng
from harness.emulators.itrp import _vocab as vocab

API_TOKEN = "3f1e6c2a9b8d4e7f0a5c3b1d8e6f4a2c9b7d5e3f"
EMAIL = "howard.tanner@example.com"
PASSWORD = "Tanner-Widget-2015"
USER_ID = 5
USER_SITE_ID = 13


@dataclass(frozen=True)
class Account:
    id: str
    name: str

    def ref(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


HOME = Account("widget", "Widget Holding")
WNA = Account("wna", "Widget North America")
WEU = Account("weu", "Widget Europe")
ACME = Account("acme", "Acme Corporation")
ACCOUNTS = {a.id: a for a in (HOME, WNA, WEU, ACME)}
TRUSTED = frozenset({HOME.id, WNA.id, WEU.id})  # accounts the user may read

DOCUMENTED_SITES = {
    14: ("wna", "Widget Data Center"),
    15: ("wna", "Widget International Headquarters"),
    16: ("wna", "Widget Manufacturing Center"),
    17: ("wna", "Widget Research & Development Center"),
    18: ("weu", "Widget European Headquarters"),
}
PEOPLE_BLOCKS = (("acme", 4), ("widget", 160), ("wna", 40), ("weu", 15))
REQUEST_COUNTS = {"widget": 262, "wna": 41, "weu": 17, "acme": 3}


@dataclass
class Site:
    id: int
    name: str
    account: str
    created: float
    updated: float


@dataclass
class Person:
    id: int
    name: str
    email: str
    job_title: str
    site_id: int
    account: str
    created: float
    updated: float
    language: str = vocab.DEFAULT_LANGUAGE


@dataclass
class Req:
    id: int
    subject: str
    category: str
    impact: str | None
    status: str
    requested_by: int
    requested_for: int
    account: str
    created: float
    updated: float


def _stamps(r: random.Random, count: int) -> list[tuple[float, float]]:
    created = past_times(r, count)
    return [(c, min(DATA_EPOCH, c + r.randint(0, 20 * 86400))) for c in created]


@dataclass
class Store:
    """Every record of the emulated ITRP service, mutable by the write endpoints."""

    sites: dict[int, Site] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    requests: dict[int, Req] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, tuple[str, int]] = field(default_factory=dict)
    token_rng: random.Random = field(default_factory=random.Random)
    seeded_tokens: dict[str, int] = field(default_factory=dict)
    next_request_id: int = 1

    # ---------------------------------------------------------------- queries
    def sites_of(self, account: Account) -> list[Site]:
        return [s for s in self.sites.values() if s.account == account.id]

    def people_of(self, account: Account) -> list[Person]:
        return [p for p in self.people.values() if p.account == account.id]

    def requests_of(self, account: Account) -> list[Req]:
        return [q for q in self.requests.values() if q.account == account.id]

    # ---------------------------------------------------------------- tokens
    def new_token(self) -> str:
        """A fresh token value (not yet valid for anyone)."""
        return f"{self.token_rng.getrandbits(160):040x}"

    def reset_token(self, person_id: int, keep_old: bool = False) -> str:
        """Issue a new API token for the person; the old ones stop working (unless
        ``keep_old``, a fault)."""
        if not keep_old:
            for token in [t for t, pid in self.tokens.items() if pid == person_id]:
                del self.tokens[token]
        token = self.new_token()
        self.tokens[token] = person_id
        return token

    def restore_tokens(self) -> None:
        """Every API token back to its seeded value (``POST /__emulator__/restore``)."""
        self.tokens = dict(self.seeded_tokens)

    def token_of(self, person_id: int) -> str:
        return next(t for t, pid in self.tokens.items() if pid == person_id)

    # ---------------------------------------------------------------- rendering
    def _ref_person(self, person_id: int, current: Account) -> dict[str, Any]:
        person = self.people[person_id]
        ref: dict[str, Any] = {"id": person.id, "name": person.name}
        if person.account != current.id:
            ref["account"] = ACCOUNTS[person.account].ref()
        return ref

    def render_site(self, site: Site, current: Account) -> dict[str, Any]:
        body: dict[str, Any] = {"id": site.id, "name": site.name}
        if site.account != current.id:
            body["account"] = ACCOUNTS[site.account].ref()
        body["created_at"] = iso(site.created)
        body["updated_at"] = iso(site.updated)
        return body

    def render_person(self, person: Person, current: Account) -> dict[str, Any]:
        site = self.sites[person.site_id]
        body: dict[str, Any] = {
            "id": person.id,
            "name": person.name,
            "primary_email": person.email,
            "job_title": person.job_title,
            "site": {"id": site.id, "name": site.name},
        }
        if site.account != current.id:
            body["site"]["account"] = ACCOUNTS[site.account].ref()
        if person.account != current.id:
            body["account"] = ACCOUNTS[person.account].ref()
        body["created_at"] = iso(person.created)
        body["updated_at"] = iso(person.updated)
        return body

    def render_request(self, req: Req, current: Account) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": req.id,
            "subject": req.subject,
            "category": req.category,
            "impact": req.impact,
            "status": req.status,
            "requested_by": self._ref_person(req.requested_by, current),
            "requested_for": self._ref_person(req.requested_for, current),
        }
        if req.account != current.id:
            body["account"] = ACCOUNTS[req.account].ref()
        body["created_at"] = iso(req.created)
        body["updated_at"] = iso(req.updated)
        return body


# -------------------------------------------------------------------- seeding
def _seed_sites(ctx: EmulatorContext, store: Store) -> None:
    r = rng(ctx, "sites")
    home_ids = [*range(1, 14), *range(19, 41)]
    plan = [(i, "widget") for i in home_ids] + [(i, a) for i, (a, _) in DOCUMENTED_SITES.items()]
    plan += [(41, "acme"), (42, "acme")]
    plan.sort()
    places = r.sample([f"{c} {k}" for c in vocab.CITIES for k in vocab.SITE_KINDS], len(plan))
    for (site_id, account), place, (created, updated) in zip(
        plan, places, _stamps(r, len(plan)), strict=True
    ):
        name = DOCUMENTED_SITES.get(site_id, (account, f"Widget {place}"))[1]
        if site_id == USER_SITE_ID:
            name = "Widget Head Office"
        elif account == "acme":
            name = f"Acme {place}"
        store.sites[site_id] = Site(site_id, name, account, created, updated)


def _seed_people(ctx: EmulatorContext, store: Store) -> None:
    r = rng(ctx, "people")
    total = sum(n for _, n in PEOPLE_BLOCKS)
    stamps = _stamps(r, total)
    person_id = 0
    for account, count in PEOPLE_BLOCKS:
        site_ids = [s.id for s in store.sites.values() if s.account == account]
        domain = ACCOUNTS[account].name.lower().replace(" ", "-") + ".example.com"
        for _ in range(count):
            person_id += 1
            first, last = r.choice(vocab.FIRST_NAMES), r.choice(vocab.LAST_NAMES)
            name, site_id = f"{first} {last}", r.choice(site_ids)
            email = f"{first}.{last.replace(' ', '')}.{person_id}@{domain}".lower()
            if person_id == USER_ID:
                name, site_id, email = "Howard Tanner", USER_SITE_ID, EMAIL
            created, updated = stamps[person_id - 1]
            store.people[person_id] = Person(
                person_id,
                name,
                email,
                r.choice(vocab.JOB_TITLES),
                site_id,
                account,
                created,
                updated,
            )


def _seed_requests(ctx: EmulatorContext, store: Store) -> None:
    r = rng(ctx, "requests")
    accounts = [a for a, n in REQUEST_COUNTS.items() for _ in range(n)]
    r.shuffle(accounts)
    by_account = {a: [p.id for p in store.people.values() if p.account == a] for a in ACCOUNTS}
    foreign = by_account["wna"] + by_account["weu"]
    statuses = vocab.ENUM_IDS["request.status"]
    for req_id, (account, (created, updated)) in enumerate(
        zip(accounts, _stamps(r, len(accounts)), strict=True), start=1
    ):
        requester = r.choice(by_account[account])
        requested_for = requester
        if account == "widget" and r.random() < 0.1:
            requested_for = r.choice(foreign)  # a reference into a trusted account
        thing = r.choice(vocab.SUBJECT_THINGS)
        subject = r.choice(vocab.SUBJECT_PROBLEMS).format(thing=thing)
        store.requests[req_id] = Req(
            req_id,
            subject[0].upper() + subject[1:],
            r.choice(vocab.ENUM_IDS["request.category"]),
            None if r.random() < 0.1 else r.choice(vocab.ENUM_IDS["request.impact"]),
            r.choices(statuses, weights=[1, 4, 3, 3, 2, 2, 1, 1, 1, 1, 8])[0],
            requester,
            requested_for,
            account,
            created,
            updated,
        )
    store.next_request_id = len(accounts) + 1


def credentials() -> dict[str, str]:
    """The seeded user's credentials for all three auth schemes."""
    return {"api_token": API_TOKEN, "email": EMAIL, "password": PASSWORD}


def seed_store(ctx: EmulatorContext) -> Store:
    """The deterministic data of one emulator (from ``ctx.seed``)."""
    store = Store(token_rng=rng(ctx, "api-tokens"))
    _seed_sites(ctx, store)
    _seed_people(ctx, store)
    _seed_requests(ctx, store)
    store.tokens[API_TOKEN] = USER_ID
    store.passwords[EMAIL] = (PASSWORD, USER_ID)
    store.seeded_tokens = dict(store.tokens)
    return store
