"""Refresh checks: the refresh token obtains a working access token, an unknown one does
not, and it stays usable for its documented lifetime."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.auth._common import (
    effective_status,
    fixed_token_auth,
    mutate,
    probe,
    succeeded,
)
from harness.checks.token._common import (
    forget_session_token,
    fresh_grant,
    has_refresh,
    refresh_paths,
    refreshed,
)

CLOCK_ORDER = 82  # after the expiry checks, before exhaustion


def _public_note(ctx: CheckContext) -> str:
    return (
        " (a fact observed in public material, not the document)"
        if any(c.source == "public-facts" for c in ctx.clauses)
        else ""
    )


@check("token.refresh", concern="token", applies=has_refresh)
def refresh(ctx: CheckContext) -> None:
    """The grant's refresh token obtains a fresh access token that works, without the
    secret; a refresh token that names nothing gets no token."""
    flow = ctx.profile.token
    assert flow is not None and flow.refresh is not None
    got = fresh_grant(ctx)
    if got.refresh is None:
        ctx.skip("the grant gave no refresh token (see token.grant)")
    exchange, access = refreshed(ctx, got.refresh)
    if access is None:
        ctx.finding(
            "refresh gave no access token",
            f"presenting the grant's refresh token at {', '.join(refresh_paths(ctx))} "
            f"answered {effective_status(ctx, exchange)} without an access token",
            exchange,
        )
    else:
        used = probe(ctx, fixed_token_auth(ctx, access))
        if not succeeded(ctx, used):
            ctx.finding(
                "refreshed token does not work",
                f"the access token obtained with the refresh token was refused with "
                f"{effective_status(ctx, used)}",
                exchange,
                used,
            )
    bogus, bogus_access = refreshed(ctx, mutate(got.refresh))
    if bogus_access is not None:
        ctx.finding(
            "unknown refresh token accepted",
            "a refresh token that was never issued obtained an access token",
            bogus,
        )


@check(
    "token.refresh-lifetime",
    concern="token",
    applies=lambda p: (
        has_refresh(p)
        or (None if p.token and p.token.refresh_lifetime_seconds else "no refresh lifetime")
    ),
    needs=("clock_control",),
    order=CLOCK_ORDER,
)
def refresh_lifetime(ctx: CheckContext) -> None:
    """A refresh token still obtains an access token shortly before its documented
    lifetime ends."""
    flow = ctx.profile.token
    assert flow is not None and flow.refresh_lifetime_seconds
    got = fresh_grant(ctx)
    if got.refresh is None:
        ctx.skip("the grant gave no refresh token (see token.grant)")
    seconds = float(flow.refresh_lifetime_seconds)
    margin = min(3600.0, seconds / 20)
    clock = ctx.client.clock
    clock.sleep(got.sent_at + seconds - margin - clock.now())
    exchange, access = refreshed(ctx, got.refresh)
    forget_session_token(ctx)
    if access is None:
        days = seconds / 86400
        ctx.finding(
            "refresh token expired early",
            f"a refresh token presented shortly before its {days:g}-day lifetime ended "
            f"answered {effective_status(ctx, exchange)} without an access token"
            + _public_note(ctx),
            exchange,
        )
