"""The tables the auth checks read, typed: ``[features.key_tiers]``,
``[features.access_level]`` and ``[features.me_api_token]``.

Read with ``KEY.read(profile)`` (None when the profile lacks the table); the token
checks read :data:`ME_API_TOKEN` too (the record showing a reset API token).
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = [
    "ACCESS_LEVEL",
    "KEY_TIERS",
    "ME_API_TOKEN",
    "AccessLevel",
    "CredentialRecord",
    "KeyTiers",
]


@dataclass(frozen=True)
class KeyTiers:
    """API keys of several tiers (their limits are the ``[[rate_limit.rules]]`` of each
    key prefix); one tier is read-only."""

    read_only_credential: str | None = None  # the credential holding a read-only key


KEY_TIERS = FeatureKey("key_tiers", KeyTiers)


@dataclass(frozen=True)
class AccessLevel:
    """Users of some access levels are refused whatever their credentials."""

    # the credentials of a user the document says is refused (used with the other
    # credentials of the scheme naming them)
    optional_credentials: tuple[str, ...] = ()


ACCESS_LEVEL = FeatureKey("access_level", AccessLevel)


@dataclass(frozen=True)
class CredentialRecord:
    """A record of the user (``path``) that shows one of their own credentials
    (``field``) when read with a scheme that does not use it."""

    path: str
    field: str


ME_API_TOKEN = FeatureKey("me_api_token", CredentialRecord)
