"""Token expiry checks: a token works until its documented lifetime ends, is then refused
with the documented status, and a refresh lets the refused request be repeated.

One fresh token serves all three (memoized per session): granted, used just before its
lifetime ends and just after, on the emulator's clock. Moving the clock ages the
session's token too, so the session is made to grant afresh afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._registry import check
from harness.checks.auth._common import (
    effective_status,
    expectation,
    fixed_token_auth,
    probe,
    succeeded,
)
from harness.checks.token._common import (
    Grant,
    forget_session_token,
    fresh_grant,
    has_refresh,
    has_token,
    margin_for,
    refresh_works,
    refreshed,
)
from harness.client import Exchange

CLOCK_ORDER = 80  # after the ordinary checks, before exhaustion


@dataclass
class ExpiryProbe:
    """A fresh token used just before and just after its documented lifetime."""

    grant: Grant
    lifetime: float
    before: Exchange
    after: Exchange


@memoized
def expiry_probe(ctx: CheckContext) -> ExpiryProbe:
    """Grant, move the clock to just before the lifetime, read, move past it, read (once
    per session: the three checks judge the same probe)."""
    flow = ctx.profile.token
    assert flow is not None
    got = fresh_grant(ctx)
    assert got.access is not None
    lifetime = float(flow.lifetime_seconds)
    margin = margin_for(lifetime)
    auth = fixed_token_auth(ctx, got.access)
    clock = ctx.client.clock
    clock.sleep(got.sent_at + lifetime - margin - clock.now())
    before = probe(ctx, auth)
    clock.sleep(got.received_at + lifetime + margin - clock.now())
    after = probe(ctx, auth)
    forget_session_token(ctx)
    return ExpiryProbe(got, lifetime, before, after)


@check(
    "token.lifetime",
    concern="token",
    applies=has_token,
    needs=("clock_control",),
    order=CLOCK_ORDER,
)
def lifetime(ctx: CheckContext) -> None:
    """An access token works until just before its documented lifetime ends and is not
    honoured just after."""
    p = expiry_probe(ctx)
    minutes = p.lifetime / 60
    if not succeeded(ctx, p.before):
        ctx.finding(
            "token refused before its lifetime ended",
            f"a token used shortly before its documented {minutes:g}-minute lifetime ended "
            f"was refused with {effective_status(ctx, p.before)}",
            p.before,
        )
    if succeeded(ctx, p.after):
        ctx.finding(
            "token honoured after its lifetime",
            f"a token used shortly after its documented {minutes:g}-minute lifetime was "
            f"still accepted ({p.after.status})",
            p.after,
        )


@check(
    "token.expired-status",
    concern="token",
    applies=has_token,
    needs=("clock_control",),
    order=CLOCK_ORDER,
)
def expired_status(ctx: CheckContext) -> None:
    """A call with an expired access token is refused with the documented status."""
    flow = ctx.profile.token
    assert flow is not None
    p = expiry_probe(ctx)
    if succeeded(ctx, p.after):
        ctx.skip("the expired token was still honoured (token.lifetime judges that)")
    status = effective_status(ctx, p.after)
    expected = expectation(ctx, (flow.expired_status,))
    if not expected.accepts(status):
        ctx.finding(
            f"expired token refused with {status}",
            f"a call with an expired access token answered {status}, expected "
            f"{expected.text} ({expected.reading})",
            p.after,
        )


@check(
    "token.retry-after-refresh",
    concern="token",
    applies=has_refresh,
    needs=("clock_control",),
    order=CLOCK_ORDER + 1,
)
def retry_after_refresh(ctx: CheckContext) -> None:
    """After an expired token is refused, a refresh and a repeat of the same request
    succeed."""
    p = expiry_probe(ctx)
    if succeeded(ctx, p.after):
        ctx.skip("the expired token was still honoured (token.lifetime judges that)")
    if p.grant.refresh is None:
        ctx.skip("the grant gave no refresh token (see token.grant)")
    renewal, access = refreshed(ctx, p.grant.refresh)
    repeat = probe(ctx, fixed_token_auth(ctx, access)) if access else None
    if repeat is not None and succeeded(ctx, repeat):
        return
    works, _ = refresh_works(ctx)
    if not works:
        return  # refreshing fails even without expiry: token.refresh judges that
    evidence = [x for x in (p.after, renewal, repeat) if x is not None]
    ctx.finding(
        "repeat after refresh failed",
        "after the expired token was refused, "
        + (
            f"the refresh answered {effective_status(ctx, renewal)} without a token"
            if access is None
            else f"the repeated request with the refreshed token answered "
            f"{effective_status(ctx, repeat) if repeat else '-'}"
        )
        + ", although refreshing an unexpired token works",
        *evidence,
    )
