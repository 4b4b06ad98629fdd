"""Rate-limit checks on what the target reports about its limits: every documented
rate-limit header on every rate-limited answer, the documented limit and a remaining
count that drops by one per request, and a reset time in Unix seconds.

They judge the session's small sample of calls, sent at the documented pace
(:func:`~harness.checks.ratelimit._common.sample`); nothing here exceeds a limit.
"""

from __future__ import annotations

import re

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.ratelimit._common import sampled_calls, source_note
from harness.client import Exchange
from harness.profiles import Profile
from harness.ratelimit import parse_rate_limit_headers

_DIGITS = re.compile(r"^[0-9]+$")
# How far a Unix-time reset may sit outside [now, now + window]: tight on the emulator's
# clock; against a server whose clock is not ours, only the form is judged (a count of
# seconds left, or milliseconds, is still years away from any plausible Unix time).
_SKEW_CONTROLLED = 5.0
_SKEW_LIVE = 86400.0


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


@check("ratelimit.headers", concern="ratelimit", applies=_has_headers, health=True)
def headers_present(ctx: CheckContext) -> None:
    """Rate-limited answers, successes and errors alike, carry every documented rate-limit
    header, the limit and remaining counts as whole numbers."""
    policy = ctx.profile.rate_limit
    names = dict(policy.headers)
    found = sampled_calls(ctx)
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
    for sampled in sampled_calls(ctx):
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
    for sampled in sampled_calls(ctx):
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
