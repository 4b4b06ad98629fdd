"""What the rate-limit checks share: the sample of calls the cheap checks judge, the
aspect naming which documented rule a finding is about, and small helpers.

The sample is sent once per session (memoized) through the harness's throttled client:
two calls of the main read operation and one call of an unknown path (an error, still
counted), and two token grants when a rule governs the token endpoint. Write calls are
never sampled.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._features import FeatureKey
from harness.checks._memo import memoized
from harness.checks._ops import call, page_params
from harness.client import Exchange
from harness.profiles import Operation, Profile, RateRule

UNKNOWN_PATH = "/no-such-resource-ratelimit-probe"
# what the checks that drive limits over their numbers need from the target's [allow]
EXHAUST = ("exhaustion", "clock_control")
_NOT_ASPECT = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class RateLimits:
    """``[features.rate_limits]``: what the document (or public material) adds to the
    profile's ``[rate_limit]`` rules."""

    exceeded_error_type: str  # the error type an over-the-limit body names


RATE_LIMITS = FeatureKey("rate_limits", RateLimits)


# ---------------------------------------------------------------- which rule: aspects


def rule_aspect(rule: RateRule) -> str:
    """The aspect of findings about one documented rule: its key tier (``key-tt_admin``)
    when the rule is for keys of one prefix, else its class of calls (``calls-token``,
    ``calls-write``, ``calls-all``)."""
    if rule.key_prefix:
        tier = _NOT_ASPECT.sub("-", rule.key_prefix).strip("_-.")
        return f"key-{tier}" if tier else "key"
    return f"calls-{rule.applies_to}"


def rule_aspects(profile: Profile) -> tuple[str, ...]:
    """The aspects of a check whose findings are each about one documented rule."""
    return tuple(dict.fromkeys(rule_aspect(r) for r in profile.rate_limit.rules))


# ---------------------------------------------------------------- applicability


def has_rules(profile: Profile) -> str | None:
    return None if profile.rate_limit.rules else "the document states no rate limit"


# ---------------------------------------------------------------- small helpers


def default_credential(ctx: CheckContext) -> str | None:
    """The credential the client's throttle keys tiers on (the default scheme's first)."""
    keys = ctx.profile.auth[0].credentials
    return ctx.target.credentials.get(keys[0]) if keys else None


def small_page(ctx: CheckContext, op: Operation) -> dict[str, Any] | None:
    """Paging fields asking for one record, to keep sampled answers small."""
    if not op.paged:
        return None
    return page_params(ctx.profile.pagination, None, 1) or None


def unknown_path(ctx: CheckContext) -> Exchange:
    """The main operation's call on a path that does not exist: an error answer that is
    still a counted call."""
    main = ctx.profile.main_operation
    unknown = dataclasses.replace(main, id="unknown-path", path=UNKNOWN_PATH, paged=False)
    return call(ctx, unknown)


def is_refused(ctx: CheckContext, exchange: Exchange) -> bool:
    return exchange.status == ctx.profile.rate_limit.exceeded_status


def source_note(ctx: CheckContext, source: str) -> str:
    """What a finding adds about a fact not taken from the vendor's document."""
    if source == "public-facts":
        how = "enforced in strict mode" if ctx.strict else "checked leniently"
        return f" (a public-facts observation, not in the document; {how})"
    if source == "assumed":
        return " (a number the harness assumes; the document gives none; checked leniently)"
    return ""


# ---------------------------------------------------------------- the sample


@dataclass
class Sampled:
    """Consecutive calls of one rate-limited class, all counted against ``rule``."""

    kind: str  # "read" or "token"
    rule: RateRule
    exchanges: list[Exchange] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # the clock when each answer came
    costs: list[int] = field(default_factory=list)  # requests each call sent (auth flows)


def _record(ctx: CheckContext, sampled: Sampled, send: Callable[[], Exchange]) -> None:
    before = ctx.client.sent
    exchange = send()
    sampled.exchanges.append(exchange)
    sampled.times.append(ctx.client.clock.now())
    sampled.costs.append(max(1, ctx.client.sent - before))


@memoized
def sample(ctx: CheckContext) -> list[Sampled]:
    """The sample of rate-limited calls, one per session (sent on first use)."""
    found: list[Sampled] = []
    policy = ctx.profile.rate_limit
    credential = default_credential(ctx)
    read_rule = policy.rule_for("read", credential)
    if read_rule is not None:
        reads = Sampled("read", read_rule)
        main = ctx.profile.main_operation
        paging = small_page(ctx, main)
        for _ in range(2):
            _record(ctx, reads, lambda: call(ctx, main, paging=paging))
        _record(ctx, reads, lambda: unknown_path(ctx))
        found.append(reads)
    token = ctx.profile.token
    token_rule = policy.rule_for("token", credential)
    if token is not None and token_rule is not None:
        grants = Sampled("token", token_rule)
        grant = token.grant
        body = render(dict(grant.body), ctx.target.credentials) if grant.body else None
        for _ in range(2):
            _record(
                ctx,
                grants,
                lambda: ctx.client.request(
                    grant.method,
                    grant.path,
                    json=body,
                    auth=None,
                    operation="token-grant",
                    write=False,
                ),
            )
        found.append(grants)
    return found


def sampled_calls(ctx: CheckContext) -> list[Sampled]:
    """The sample, skipping the check when no documented rule governs what it sends."""
    found = sample(ctx)
    if not found:
        ctx.skip("no documented rate limit governs reads or token grants with this credential")
    return found
