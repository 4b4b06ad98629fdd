"""Rate-limit checks, cheap and read-only: what the target reports about its limits, and
that calls at the documented pace are served.

All of them judge one small sample of calls per rate-limited class, sent through the
harness's throttled client and cached for the run: two calls of the main read operation
and one call of an unknown path (an error, still counted), and two token grants when a
rule governs the token endpoint. Write calls are never sampled here.

Driving a limit over its documented number is in :mod:`harness.checks.ratelimit_enforced`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._ops import call, page_params
from harness.checks._registry import check
from harness.client import Exchange
from harness.profiles import Operation, Profile, RateRule
from harness.ratelimit import parse_rate_limit_headers

__all__ = [
    "SAMPLE_KEY",
    "UNKNOWN_PATH",
    "Sampled",
    "default_credential",
    "is_refused",
    "sample",
    "small_page",
    "source_note",
    "unknown_path",
]

SAMPLE_KEY = "ratelimit:sample"
UNKNOWN_PATH = "/no-such-resource-ratelimit-probe"
_DIGITS = re.compile(r"^[0-9]+$")
# How far a Unix-time reset may sit outside [now, now + window]: tight on the emulator's
# clock; against a server whose clock is not ours, only the form is judged (a count of
# seconds left, or milliseconds, is still years away from any plausible Unix time).
_SKEW_CONTROLLED = 5.0
_SKEW_LIVE = 86400.0


@dataclass
class Sampled:
    """Consecutive calls of one rate-limited class, all counted against ``rule``."""

    kind: str  # "read" or "token"
    rule: RateRule
    exchanges: list[Exchange] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # the clock when each answer came
    costs: list[int] = field(default_factory=list)  # requests each call sent (auth flows)


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


def _record(ctx: CheckContext, sampled: Sampled, send: Any) -> None:
    before = ctx.client.sent
    exchange: Exchange = send()
    sampled.exchanges.append(exchange)
    sampled.times.append(ctx.client.clock.now())
    sampled.costs.append(max(1, ctx.client.sent - before))


def sample(ctx: CheckContext) -> list[Sampled]:
    """The cached sample of rate-limited calls (sent on first use)."""
    cached: list[Sampled] | None = ctx.cache.get(SAMPLE_KEY)
    if cached is not None:
        return cached
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
    ctx.cache[SAMPLE_KEY] = found
    return found


def _sampled(ctx: CheckContext) -> list[Sampled]:
    found = sample(ctx)
    if not found:
        ctx.skip("no documented rate limit governs reads or token grants with this credential")
    return found


# ---------------------------------------------------------------- applicability


def _has_rules(profile: Profile) -> str | None:
    return None if profile.rate_limit.rules else "the document states no rate limit"


def _has_headers(profile: Profile) -> str | None:
    if not profile.rate_limit.rules:
        return "the document states no rate limit"
    return None if profile.rate_limit.headers else "no rate-limit headers are documented"


def _has_count_headers(profile: Profile) -> str | None:
    names = profile.rate_limit.headers
    if _has_headers(profile) or not ("limit" in names or "remaining" in names):
        return "no limit or remaining header is documented"
    return None


def _has_reset(profile: Profile) -> str | None:
    if _has_headers(profile) or "reset" not in profile.rate_limit.headers:
        return "no reset header is documented"
    return None


# ---------------------------------------------------------------- checks


@check("ratelimit.headers", concern="ratelimit", applies=_has_headers, health=True)
def headers_present(ctx: CheckContext) -> None:
    """Rate-limited answers, successes and errors alike, carry every documented rate-limit
    header, the limit and remaining counts as whole numbers."""
    policy = ctx.profile.rate_limit
    names = dict(policy.headers)
    found = _sampled(ctx)
    answers = [x for s in found for x in s.exchanges]
    reported = any(name in x.headers for x in answers for name in names.values())
    if not reported and policy.headers_source != "document" and not ctx.strict:
        return  # only observed elsewhere: a target that reports none is accepted
    broken: list[tuple[Exchange, str]] = []
    for x in answers:
        problems = [f"{n} missing" for n in names.values() if n not in x.headers]
        for role in ("limit", "remaining"):
            value = x.headers.get(names.get(role, ""))
            if role in names and value is not None and not _DIGITS.match(value.strip()):
                problems.append(f"{names[role]} is {value!r}, not a whole number")
        if problems:
            broken.append(
                (x, f"{x.method} {x.operation or x.url} -> {x.status}: " + "; ".join(problems))
            )
    if broken:
        ctx.finding(
            f"rate-limit headers missing or malformed on {len(broken)} of {len(answers)} answers",
            "; ".join(text for _, text in broken) + source_note(ctx, policy.headers_source),
            *(x for x, _ in broken[:3]),
        )


@check("ratelimit.limit-reported", concern="ratelimit", applies=_has_count_headers)
def limit_reported(ctx: CheckContext) -> None:
    """The limit header states the documented number for the credential's tier (a number
    not from the document: only in strict mode), and the remaining count drops by one per
    counted request."""
    policy = ctx.profile.rate_limit
    for sampled in _sampled(ctx):
        rule = sampled.rule
        note = source_note(ctx, rule.source if rule.source != "document" else policy.headers_source)
        exact = rule.source == "document" or (ctx.strict and rule.source == "public-facts")
        states = [parse_rate_limit_headers(x.headers, policy) for x in sampled.exchanges]
        for x, state in zip(sampled.exchanges, states, strict=True):
            if exact and state.limit is not None and state.limit != rule.requests:
                ctx.finding(
                    f"limit header says {state.limit}, not {rule.requests}",
                    f"{x.method} {x.operation or x.url}: the limit header reports {state.limit}; "
                    f"the documented limit for {sampled.kind} calls with this credential is "
                    f"{rule.requests} per {rule.window_seconds} s{note}",
                    x,
                )
                return
            limit = rule.requests if exact or state.limit is None else state.limit
            if state.remaining is not None and state.remaining > limit:
                ctx.finding(
                    f"remaining count {state.remaining} exceeds the limit {limit}",
                    f"{x.method} {x.operation or x.url} reports {state.remaining} calls left of "
                    f"a limit of {limit}{note}",
                    x,
                )
                return
        for i in range(1, len(states)):
            a, b = states[i - 1], states[i]
            if a.remaining is None or b.remaining is None or a.remaining == 0:
                continue
            cost = sampled.costs[i]
            same_window = a.reset is not None and a.reset == b.reset
            # the throttle may have slept into a new window between the two calls
            new_window = not same_window and b.remaining >= (b.limit or rule.requests) - cost
            if 1 <= a.remaining - b.remaining <= cost or new_window:
                continue
            ctx.finding(
                "remaining count does not drop by one per request",
                f"the remaining count went from {a.remaining} to {b.remaining} over "
                f"{sampled.costs[i]} request(s) of the same class{note}",
                sampled.exchanges[i - 1],
                sampled.exchanges[i],
            )
            return


@check("ratelimit.reset-form", concern="ratelimit", applies=_has_reset)
def reset_form(ctx: CheckContext) -> None:
    """The reset header gives the Unix time (whole seconds) at which the window ends."""
    policy = ctx.profile.rate_limit
    name = policy.headers["reset"]
    skew = _SKEW_CONTROLLED if ctx.session.controls_clock else _SKEW_LIVE
    note = source_note(ctx, policy.headers_source)
    for sampled in _sampled(ctx):
        window = sampled.rule.window_seconds
        for x, at in zip(sampled.exchanges, sampled.times, strict=True):
            value = x.headers.get(name)
            if value is None:
                continue  # presence is ratelimit.headers' business
            text = value.strip()
            if not _DIGITS.match(text):
                problem = f"{name} is {value!r}, not a whole number of Unix seconds"
            elif not at - skew <= int(text) <= at + window + skew:
                problem = (
                    f"{name} is {text}, which is not a Unix time within the {window} s window "
                    f"(the clock read {at:.0f}); it looks like "
                    + (
                        "a count of seconds left"
                        if int(text) <= window + skew
                        else "another unit or a wrong time"
                    )
                )
            else:
                continue
            ctx.finding("reset header not in Unix seconds", problem + note, x)
            return


@check("ratelimit.paced", concern="ratelimit", applies=_has_rules, health=True)
def paced(ctx: CheckContext) -> None:
    """Calls spaced at the documented pace (the harness's throttle) are never refused as
    over the limit."""
    policy = ctx.profile.rate_limit
    for sampled in _sampled(ctx):
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
