"""What the token checks share: grants and refreshes sent outside the session, so the
session's own token is never disturbed (a token is applied exactly as given with
:func:`harness.checks.auth._common.fixed_token_auth`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.auth import render, resolve_pointer
from harness.checks._context import CheckContext
from harness.checks.auth._common import effective_status, fixed_token_auth, probe, succeeded
from harness.checks.token._features import TOKEN_REFRESH
from harness.client import Exchange
from harness.profiles import Profile

__all__ = [
    "Grant",
    "forget_session_token",
    "fresh_grant",
    "grant",
    "has_refresh",
    "has_token",
    "margin_for",
    "refresh_paths",
    "refresh_works",
    "refreshed",
    "renew",
]


def forget_session_token(ctx: CheckContext) -> None:
    """Make the session grant afresh on its next call (after a check moved the clock
    beyond the lifetime of its token and refresh token)."""
    state = ctx.client.token
    state.access_token = None
    state.refresh_token = None
    state.expires_at = None


@dataclass
class Grant:
    """One token grant sent by a check (not the session's)."""

    exchange: Exchange
    access: str | None
    refresh: str | None
    expires_in: Any
    sent_at: float
    received_at: float


def grant(ctx: CheckContext) -> Grant:
    """Obtain a fresh token pair with the target's credentials, outside the session."""
    flow = ctx.profile.token
    assert flow is not None
    g = flow.grant
    body = render(dict(g.body), dict(ctx.target.credentials)) if g.body else None
    sent_at = ctx.client.clock.now()
    exchange = ctx.client.request(g.method, g.path, json=body, auth=None, write=False)
    received_at = ctx.client.clock.now()
    data = exchange.json()
    access = resolve_pointer(data, g.access_token or "")
    refresh = resolve_pointer(data, g.refresh_token or "") if g.refresh_token else None
    expires = resolve_pointer(data, g.expires_in or "") if g.expires_in else None
    return Grant(
        exchange,
        access if isinstance(access, str) and access else None,
        refresh if isinstance(refresh, str) and refresh else None,
        expires,
        sent_at,
        received_at,
    )


def renew(
    ctx: CheckContext, refresh_token: str, path: str | None = None
) -> tuple[Exchange, str | None, str | None]:
    """Present a refresh token (at the documented path, or ``path``): the exchange, the
    new access token and the new refresh token, when given."""
    flow = ctx.profile.token
    assert flow is not None and flow.refresh is not None
    r = flow.refresh
    values = {**ctx.target.credentials, "refresh_token": refresh_token}
    body = render(dict(r.body), values) if r.body else None
    exchange = ctx.client.request(r.method, path or r.path, json=body, auth=None, write=False)
    data = exchange.json() if succeeded(ctx, exchange) else None
    access = resolve_pointer(data, r.access_token or "")
    new_refresh = resolve_pointer(data, r.refresh_token or "") if r.refresh_token else None
    return (
        exchange,
        access if isinstance(access, str) and access else None,
        new_refresh if isinstance(new_refresh, str) and new_refresh else None,
    )


def has_token(profile: Profile) -> str | None:
    return None if profile.token else "the profile documents no token flow"


def has_refresh(profile: Profile) -> str | None:
    if profile.token is None or profile.token.refresh is None:
        return "the profile documents no refresh flow"
    return None


def margin_for(lifetime: float) -> float:
    return max(5.0, min(120.0, lifetime / 20))


def fresh_grant(ctx: CheckContext) -> Grant:
    """A fresh grant that must work: a failure here is the grant check's finding, so other
    checks skip instead of blaming their clause."""
    got = grant(ctx)
    if got.access is None:
        ctx.skip(
            f"the token grant answered {got.exchange.status} without an access token "
            "(see token.grant)"
        )
    return got


def refresh_paths(ctx: CheckContext) -> list[str]:
    """The documented refresh path, then (lenient) the alternatives
    ``[features.token_refresh] paths`` lists with it."""
    flow = ctx.profile.token
    assert flow is not None and flow.refresh is not None
    paths = [flow.refresh.path]
    if ctx.strict:
        return paths
    listed = TOKEN_REFRESH.read(ctx.profile)
    if listed is not None and flow.refresh.path in listed.paths:
        paths += [p for p in listed.paths if p not in paths]
    return paths


def refreshed(ctx: CheckContext, refresh_token: str) -> tuple[Exchange, str | None]:
    """Present ``refresh_token`` at the documented path (lenient: also its alternatives
    while the earlier ones give no token)."""
    exchange: Exchange | None = None
    for path in refresh_paths(ctx):
        exchange, access, _ = renew(ctx, refresh_token, path)
        if access is not None:
            return exchange, access
        if effective_status(ctx, exchange) not in (404, 405):
            break  # the path exists and refused this token: try no other
    assert exchange is not None
    return exchange, None


def refresh_works(ctx: CheckContext) -> tuple[bool, list[Exchange]]:
    """Whether a fresh refresh token gives an access token that works (a control)."""
    got = fresh_grant(ctx)
    if got.refresh is None:
        return False, [got.exchange]
    exchange, access = refreshed(ctx, got.refresh)
    if access is None:
        return False, [exchange]
    used = probe(ctx, fixed_token_auth(ctx, access))
    return succeeded(ctx, used), [exchange, used]
