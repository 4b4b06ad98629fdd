"""TopTickets API keys: tiers by prefix, resource:action scopes, and key lifetimes.

toptickets.txt (Rate Limiting) names the tt_admin_ and tt_ro_ key types; the public
reference adds tt_agent_ and tt_live_ (getting-started/rate-limits), the scopes
(getting-started/authentication: ``tickets:read``, ``tickets:write``, ``tickets:delete``, ...;
a key without the scope gets 403 "Insufficient permissions. Required scope: ...") and the
fixed 72-hour lifetime of every key a Read-Only Admin creates (getting-started/api-keys).
An expired key is refused like an unknown one: 401 "Invalid API key"
(guides/error-handling lists "Expired API key" under 401).

Lifetimes run on the emulator's virtual clock: a key is issued when the emulator starts,
so advancing the clock by 72 hours expires the read-only key.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN_KEY = "tt_admin_4f9c2e7a1b8d4c3e9a6f0b2d7e5c1a38"
RO_KEY = "tt_ro_8b1e6d4a2c9f4e7b8a3d5c0f1e2b9a74"
# Not in credentials() (the profile has no credential keys for them): for the tier tests.
AGENT_KEY = "tt_agent_2d7f9a4c6e1b4d8a9c3e7f0a5b6d2c81"
LIVE_KEY = "tt_live_6a3c8e1f4b2d4a7c9e5f1b0d8c3a6e29"

READ_ONLY_LIFETIME = 72 * 3600  # getting-started/api-keys: Read-Only Admin keys, fixed

_RESOURCES = ("tickets", "comments", "attachments", "customers", "teams", "users")
READ_SCOPES = frozenset({f"{r}:read" for r in _RESOURCES} | {"dashboard:read"})
WRITE_SCOPES = frozenset({f"{r}:{a}" for r in _RESOURCES for a in ("write", "delete")})


@dataclass(frozen=True)
class ApiKey:
    """One seeded key: its display name, scopes and lifetime (None: no expiry set)."""

    name: str
    scopes: frozenset[str]
    lifetime: int | None = None

    def expires_at(self, issued: float) -> float | None:
        return None if self.lifetime is None else issued + self.lifetime


KEYS: dict[str, ApiKey] = {
    ADMIN_KEY: ApiKey("Harness admin key", READ_SCOPES | WRITE_SCOPES),
    RO_KEY: ApiKey("Harness read-only key", READ_SCOPES, READ_ONLY_LIFETIME),
    AGENT_KEY: ApiKey("Harness agent key", READ_SCOPES | WRITE_SCOPES),
    LIVE_KEY: ApiKey("Harness live key", READ_SCOPES | WRITE_SCOPES),
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


def key_prefix(key: str) -> str:
    """The shown prefix of a key: its tier prefix and the first eight characters after it
    (the /v1/test example shows ``tt_admin_P6jVGAam``)."""
    tier, _, rest = key.partition("_")[2].partition("_")
    return f"tt_{tier}_{rest[:8]}"
