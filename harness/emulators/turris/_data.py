"""Seeded upstream-entity data: downstream entity associations, agents, licenses and
E&O/Cyber policy compliance, in the shapes of the public reference (docs.turrisfi.com,
API reference v1), plus the seeded credentials.

Ids are MongoDB ObjectIds whose first four bytes are the record's creation second; every
date is ISO 8601 UTC with milliseconds and Z. Collections keep creation order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import DATA_EPOCH, past_times, rng, seeded_objectid
from harness.emulators.turris._envelope import stamp_ms

CLIENT_ID = "65f1c0de9a4b2e0012c3d4e5"
CLIENT_SECRET = "tsk_sandbox_4f9a2c7e81b34d6fa0c95e2b7d1f3a68"
RESTRICTED_TOKEN = "trt_sandbox_9c2e5a7b1d3f48e6a0b4c8d2e6f1a3b5"
UPSTREAM_ENTITY_ID = "64b7f0c2a1d3e5f7a9b1c3d5"
PRODUCT_IDS = ("6098a7f8c9e77c001f3c5a1b", "6098a7f8c9e77c001f3c5a2c")

ASSOCIATION_COUNT = 120
AGENT_COUNT = 360
DAY = 86400
CATEGORIES = ("agency", "agency network", "wholesale brokerage", "third party administrator")
STATES = ("CA", "TX", "NY", "FL", "IL", "OH", "GA", "NC", "AZ", "CO", "WA", "VA")

_WORDS = ("Summit", "Harbor", "Pioneer", "Keystone", "Evergreen", "Liberty", "Beacon", "Granite")
_KINDS = ("Insurance Agency", "Insurance Group", "Risk Partners", "Brokerage", "Benefits LLC")
_FIRST = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Priya", "Wei", "Fatima", "Diego")
_LAST = ("Smith", "Garcia", "Nguyen", "Patel", "Kim", "Lopez", "Okafor", "Rossi", "Cohen", "Silva")
_CARRIERS = ("Travelers", "Chubb", "Nationwide", "Liberty Mutual", "Markel", "Hiscox")
_LICENSE_CLASSES = (("1", "Producer"), ("2", "Surplus Lines Broker"), ("3", "Adjuster"))
_LINES = (("16", "Property"), ("15", "Casualty"), ("10", "Life"), ("14", "Accident & Health"))


def credentials() -> dict[str, str]:
    """The sandbox client (for POST /auth/jwt) and the restricted access token."""
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "restricted_token": RESTRICTED_TOKEN,
    }


@dataclass
class Records:
    """What the upstream entity sees: its associations and agents, with their details."""

    associations: list[dict[str, Any]] = field(default_factory=list)
    agents: list[dict[str, Any]] = field(default_factory=list)
    agent_association: dict[str, str] = field(default_factory=dict)  # agent _id -> DEA _id
    licenses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    compliance: dict[str, dict[str, Any]] = field(default_factory=dict)

    def association(self, association_id: str) -> dict[str, Any] | None:
        return next((a for a in self.associations if a["_id"] == association_id), None)

    def agent(self, agent_id: str) -> dict[str, Any] | None:
        return next((a for a in self.agents if a["agent"]["_id"] == agent_id), None)

    def taken(self, object_id: str) -> bool:
        return self.association(object_id) is not None or self.agent(object_id) is not None


def _ms(r: random.Random, seconds: float) -> int:
    return int(seconds) * 1000 + r.randrange(1000)


def nipr_subscription(r: random.Random, npn: str, model: str, synced: int) -> dict[str, Any]:
    """The NIPR data subscription block shared by associations and agents."""
    return {
        "dataOwnerId": UPSTREAM_ENTITY_ID,
        "dataOwnerModel": "UpstreamEntity",
        "entityModel": model,
        "entityInfo": {
            "status": "completed",
            "jobId": f"{r.getrandbits(64):016x}",
            "message": "Entity information synchronized",
            "rawEntityInfoId": seeded_objectid(r, synced / 1000),
        },
        "npn": npn,
        "lastSynchronizationDate": stamp_ms(synced),
        "pdbAlertsSubscriptionStatus": "active",
        "pdbAlertsPausedAt": None,
    }


def new_association(
    r: random.Random, object_id: str, created: int, body: dict[str, Any]
) -> dict[str, Any]:
    npn = str(body.get("downstreamEntityNpn") or r.randrange(10_000_000, 99_999_999))
    return {
        "_id": object_id,
        "downstreamEntity": {
            "_id": seeded_objectid(r, created / 1000),
            "isNpnRequired": bool(body.get("isNpnRequired", True)),
            "legalName": body["downstreamEntityName"],
            "category": body.get("category", "agency"),
            "npn": npn,
            "ein": body.get("ein") or f"{r.randrange(10, 99)}-{r.randrange(1000000, 9999999)}",
        },
        "niprDataSubscription": nipr_subscription(r, npn, "DownstreamEntity", created),
        "producerCode": body.get("producerCode") or f"PROD-{r.randrange(1000, 9999)}",
        "externalId": body.get("externalId") or f"EXT-{r.randrange(10000, 99999)}",
    }


def new_agent(
    r: random.Random, object_id: str, created: int, body: dict[str, Any]
) -> dict[str, Any]:
    first, last = _FIRST[r.randrange(len(_FIRST))], _LAST[r.randrange(len(_LAST))]
    states = sorted(r.sample(STATES, 3))
    email = body.get("email") or f"{first.lower()}.{last.lower()}@agents.example.com"
    return {
        "agent": {
            "_id": object_id,
            "npn": body["npn"],
            "firstName": first,
            "lastName": last,
            "downstreamEntityAgentAssociationIds": [seeded_objectid(r, created / 1000)],
            "createdAt": stamp_ms(created),
            "updatedAt": stamp_ms(created),
        },
        "onboardingCategory": "addition",
        "niprDataSubscription": nipr_subscription(r, body["npn"], "Agent", created),
        "isUploadedByUpstreamEntity": True,
        "isDeleted": False,
        "isArchived": False,
        "authority": [
            {
                "upstreamEntityProductId": PRODUCT_IDS[r.randrange(len(PRODUCT_IDS))],
                "requestedStates": states,
                "approvedStates": states[: r.randrange(1, 4)],
            }
        ],
        "email": email,
        "isDeliverable": True,
        "externalId": body.get("externalId") or f"AGT-{r.randrange(10000, 99999)}",
    }


def _licenses(r: random.Random, npn: str, subscription: str, t: float) -> list[dict[str, Any]]:
    found = []
    for state in sorted(r.sample(STATES, r.randrange(1, 5))):
        code, name = _LICENSE_CLASSES[r.randrange(len(_LICENSE_CLASSES))]
        issued = int(t - r.randrange(200, 2000) * DAY)
        renewal = int(DATA_EPOCH + r.randrange(-60, 700) * DAY)
        lines = r.sample(_LINES, 2)
        found.append(
            {
                "niprDataSubscriptionId": subscription,
                "npn": npn,
                "stateCode": state,
                "licenseNumber": f"{state}{r.randrange(100000, 999999)}",
                "licenseClassCode": code,
                "licenseClassName": name,
                "status": "active" if renewal > DATA_EPOCH else "inactive",
                "residencyStatus": "resident" if state == "CA" else "non-resident",
                "issueDate": stamp_ms(issued * 1000),
                "nextRenewalDate": stamp_ms(renewal * 1000),
                "expirationDate": stamp_ms(renewal * 1000),
                "linesOfAuthority": [{"code": c, "name": n, "status": "active"} for c, n in lines],
                "updatedAt": stamp_ms(_ms(r, t)),
            }
        )
    return found


def _policy(r: random.Random, insured: str, t: float) -> dict[str, Any]:
    effective = int(t // DAY * DAY)
    return {
        "_id": seeded_objectid(r, t),
        "primaryInsured": insured,
        "otherInsured": [],
        "carrierName": _CARRIERS[r.randrange(len(_CARRIERS))],
        "effectiveDate": stamp_ms(effective * 1000),
        "expiryDate": stamp_ms((effective + 365 * DAY) * 1000),
        "aggregateCoverageInUSD": r.choice((1_000_000, 2_000_000, 3_000_000)),
        "coveragePerClaimInUSD": r.choice((500_000, 1_000_000)),
        "dataExtractionStatus": "completed",
        "policyNumber": f"EO-{r.randrange(1000000, 9999999)}",
        "receivedDate": stamp_ms(_ms(r, t)),
        "collectionStatus": "collected",
        "createdAt": stamp_ms(_ms(r, t)),
        "updatedAt": stamp_ms(_ms(r, t)),
    }


def add_association(records: Records, r: random.Random, record: dict[str, Any], t: float) -> None:
    """File a new association with its licenses and (E&O only) compliance statuses."""
    records.associations.append(record)
    entity = record["downstreamEntity"]
    subscription = seeded_objectid(r, t)
    records.licenses[record["_id"]] = _licenses(r, entity["npn"], subscription, t)
    records.compliance[record["_id"]] = {
        "eAndO": _policy(r, entity["legalName"], t),
        "cyber": _policy(r, entity["legalName"], t) if r.random() < 0.6 else None,
        "downstreamEntityId": entity["_id"],
        "downstreamEntityName": entity["legalName"],
        "downstreamEntityNpn": entity["npn"],
    }


def seed_records(ctx: EmulatorContext) -> Records:
    """Deterministic data for ``ctx.seed``."""
    records = Records()
    r = rng(ctx, "records")
    times = past_times(r, ASSOCIATION_COUNT, span_days=730)
    for index, t in enumerate(times):
        word = _WORDS[index % len(_WORDS)]
        body = {
            "downstreamEntityName": f"{word} {_KINDS[r.randrange(len(_KINDS))]} #{index + 1}",
            "category": CATEGORIES[0] if r.random() < 0.8 else r.choice(CATEGORIES),
        }
        add_association(records, r, new_association(r, seeded_objectid(r, t), _ms(r, t), body), t)
    for t in past_times(r, AGENT_COUNT, span_days=365):
        home = records.associations[r.randrange(len(records.associations))]
        body = {"npn": str(r.randrange(10_000_000, 99_999_999))}
        agent = new_agent(r, seeded_objectid(r, t), _ms(r, t), body)
        records.agents.append(agent)
        records.agent_association[agent["agent"]["_id"]] = home["_id"]
    return records
