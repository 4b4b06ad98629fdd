"""Rate-limit checks on calls that stay within the limits: calls spaced at the documented
pace are served, and where no documented limit governs reads, a burst of reads is too.

The paced calls are the session's small sample
(:func:`~harness.checks.ratelimit._common.sample`); the burst of reads goes over every
documented number (``needs=("exhaustion",)``), so it runs with the enforcement checks.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import call
from harness.checks._registry import check
from harness.checks.ratelimit._common import (
    default_credential,
    has_rules,
    is_refused,
    sampled_calls,
    small_page,
    source_note,
)
from harness.profiles import Profile
from harness.ratelimit import parse_rate_limit_headers

BURST_CAP = 100  # most reads a burst against an unlimited read class sends


def _reads_unlimited(profile: Profile) -> str | None:
    if not profile.rate_limit.rules:
        return "the document states no rate limit"
    if profile.rate_limit.rule_for("read") is not None:
        return "a documented rate limit governs read calls"
    return None


@check("ratelimit.paced", concern="ratelimit", applies=has_rules, health=True)
def paced(ctx: CheckContext) -> None:
    """Calls spaced at the documented pace (the harness's throttle) are never refused as
    over the limit."""
    policy = ctx.profile.rate_limit
    for sampled in sampled_calls(ctx):
        refused = [x for x in sampled.exchanges if is_refused(ctx, x)]
        used_up = [x for x in refused if parse_rate_limit_headers(x.headers, policy).remaining == 0]
        if refused and len(used_up) == len(refused) and ctx.target.is_live:
            ctx.skip(
                "the target reports the window's budget used up (remaining 0), by other "
                "clients of the same credential as far as the harness can tell"
            )
        if refused:
            rule = sampled.rule
            ctx.finding(
                f"refused at the documented pace ({len(refused)} of {len(sampled.exchanges)})",
                f"{sampled.kind} calls sent no faster than {rule.requests} per "
                f"{rule.window_seconds} s got {ctx.profile.rate_limit.exceeded_status}"
                + source_note(ctx, rule.source),
                *refused[:3],
            )


@check(
    "ratelimit.unlimited-reads",
    concern="ratelimit",
    applies=_reads_unlimited,
    needs=("exhaustion",),
    order=90,
)
def unlimited_reads(ctx: CheckContext) -> None:
    """Where no documented limit governs reads, a burst of reads (more than any documented
    limit allows per window) is never refused."""
    rules = ctx.profile.rate_limit.rules
    if ctx.profile.rate_limit.rule_for("read", default_credential(ctx)) is not None:
        ctx.skip("a documented rate limit governs reads with this credential")
    burst = min(BURST_CAP, max(r.requests for r in rules) + 1)
    main = ctx.profile.main_operation
    paging = small_page(ctx, main)
    refused = []
    for _ in range(burst):
        x = call(ctx, main, paging=paging)
        if is_refused(ctx, x):
            refused.append(x)
    if refused:
        sources = {c.source for c in ctx.clauses}
        note = source_note(ctx, "public-facts") if "document" not in sources else ""
        ctx.finding(
            f"reads refused in a burst ({len(refused)} of {burst})",
            f"{main.method} {main.path} sent {burst} times back to back got "
            f"{ctx.profile.rate_limit.exceeded_status} {len(refused)} time(s); reads are "
            f"described as unlimited{note}",
            *refused[:3],
        )
