"""TopTickets API keys: tiers by prefix, permissions as resource:action scopes.

toptickets.txt (Rate Limiting) names the tt_admin_ and tt_ro_ key types; PUBLIC-FACTS.md
adds tt_agent_ and tt_live_ and the resource:action scopes (403 "Insufficient
permissions. Required scope: tickets:write").
"""

from __future__ import annotations

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
