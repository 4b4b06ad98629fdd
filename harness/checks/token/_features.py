"""The tables the token checks read, typed: ``[features.token_refresh]`` and
``[features.token_reset]``. Read with ``KEY.read(profile)`` (None when the profile lacks
the table)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["TOKEN_REFRESH", "TOKEN_RESET", "TokenRefresh", "TokenReset"]


@dataclass(frozen=True)
class TokenRefresh:
    """Where a refresh token may be presented: the ``[token.refresh]`` path and the
    alternatives seen for it (tried, leniently, while the earlier ones answer 404/405)."""

    paths: tuple[str, ...] = ()


TOKEN_REFRESH = FeatureKey("token_refresh", TokenRefresh)


@dataclass(frozen=True)
class TokenReset:
    """A documented call that replaces the credential of the scheme ``auth`` names."""

    method: str
    path: str
    auth: str  # the id of the [[auth]] scheme whose credential is reset (and sent)


TOKEN_RESET = FeatureKey("token_reset", TokenReset)
