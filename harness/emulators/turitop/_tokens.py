"""TuriTop OAuth2-style tokens on the emulator's virtual clock.

* ``grant``: ``{short_id, secret_key}`` gives an access token (1 hour, document) and a
  refresh token (60 days, PUBLIC-FACTS).
* ``renew``: a refresh token gives a new access token **and a new refresh token**. The
  refresh token is rotated: the one presented is consumed and refused (401) if
  presented again. The new refresh token lives 60 days from its own issue. This is a
  choice (the document is silent); ``token-renew.schema.json`` allows the optional
  ``refresh_token`` we return. Access tokens issued earlier stay valid until they expire.
* ``revoke``: a refresh token is consumed, and every access token of its chain dropped.

Expiry is computed when a token is checked (issue time + lifetime), so a lifetime fault
switched on at run time applies to tokens already issued.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

ACCESS_LIFETIME = 3600
REFRESH_LIFETIME = 60 * 86400


class TokenState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass
class _Access:
    account: str
    issued_at: float
    chain: int


@dataclass
class _Refresh:
    account: str
    issued_at: float
    chain: int
    used: bool = False


@dataclass(frozen=True)
class Issued:
    access_token: str
    refresh_token: str
    account: str


class TokenStore:
    def __init__(self, r: random.Random) -> None:
        self._rng = r
        self._access: dict[str, _Access] = {}
        self._refresh: dict[str, _Refresh] = {}
        self._chains = 0

    def _token(self, length: int) -> str:
        while True:
            token = f"{self._rng.getrandbits(length * 4):0{length}x}"
            if token not in self._access and token not in self._refresh:
                return token

    def _issue(self, account: str, now: float, chain: int, *, register: bool) -> Issued:
        access, refresh = self._token(40), self._token(64)
        if register:
            self._access[access] = _Access(account, now, chain)
        self._refresh[refresh] = _Refresh(account, now, chain)
        return Issued(access, refresh, account)

    def grant(self, account: str, now: float) -> Issued:
        self._chains += 1
        return self._issue(account, now, self._chains, register=True)

    def renew(
        self,
        refresh_token: str,
        now: float,
        *,
        working: bool = True,
        lifetime: int = REFRESH_LIFETIME,
    ) -> Issued | None:
        """A new token pair, or None for an unknown, used or expired refresh token.

        ``working=False`` is the TURI-TOKEN-REFRESH fault: the access token handed out is
        never registered, so it is refused as unknown. ``lifetime`` is shorter only under
        the TURI-TOKEN-REFRESH-LIFETIME fault.
        """
        found = self._refresh.get(refresh_token)
        if found is None or found.used or now >= found.issued_at + lifetime:
            return None
        found.used = True
        return self._issue(found.account, now, found.chain, register=working)

    def revoke(self, refresh_token: str) -> bool:
        found = self._refresh.get(refresh_token)
        if found is None or found.used:
            return False
        found.used = True
        for token in [t for t, a in self._access.items() if a.chain == found.chain]:
            del self._access[token]
        return True

    def check(self, access_token: str, now: float, lifetime: int = ACCESS_LIFETIME) -> TokenState:
        found = self._access.get(access_token)
        if found is None:
            return TokenState.UNKNOWN
        if now >= found.issued_at + lifetime:
            return TokenState.EXPIRED
        return TokenState.VALID

    def account_of(self, access_token: str) -> str | None:
        """The account an access token was issued to, expired or not (for rate limiting)."""
        found = self._access.get(access_token)
        return found.account if found else None

    def chain_of(self, access_token: str) -> int | None:
        found = self._access.get(access_token)
        return found.chain if found else None

    def refresh_chain_of(self, refresh_token: str) -> int | None:
        found = self._refresh.get(refresh_token)
        return found.chain if found else None
