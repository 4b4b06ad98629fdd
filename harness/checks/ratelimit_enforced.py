"""Rate-limit enforcement checks: the documented limits hold at their documented numbers,
the refusal looks as documented, and the block lifts.

They deliberately exceed the target's limits (``needs=("exhaustion", ...)``) and move the
emulator's clock between windows (``"clock_control"``), so they run last (high ``order``)
and are skipped on live targets. They share one exhaustion per rule
(:func:`harness.checks.ratelimit_exhaust.probes`), which leaves the target usable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call
from harness.checks._registry import check
from harness.checks.ratelimit import (
    default_credential,
    is_refused,
    small_page,
    source_note,
    unknown_path,
)
from harness.checks.ratelimit_exhaust import clause_for, tested
from harness.client import Exchange
from harness.profiles import Profile
from harness.ratelimit import parse_retry_after
from harness.validation import Violation

_EXHAUST = ("exhaustion", "clock_control")
_SECONDS = re.compile(r"^[0-9]+$")
BURST_CAP = 100  # most reads a burst against an unlimited read class sends
REFERENCE_KEY = "ratelimit:reference-error"


def _has_rules(profile: Profile) -> str | None:
    return None if profile.rate_limit.rules else "the document states no rate limit"


def _retry_after_seconds(profile: Profile) -> str | None:
    if not profile.rate_limit.rules:
        return "the document states no rate limit"
    if profile.rate_limit.retry_after != "seconds":
        return "no Retry-After in seconds is documented for refused calls"
    return None


def _reads_unlimited(profile: Profile) -> str | None:
    if not profile.rate_limit.rules:
        return "the document states no rate limit"
    if profile.rate_limit.rule_for("read") is not None:
        return "a documented rate limit governs read calls"
    return None


def _documented_error_type(profile: Profile) -> str | None:
    """An error type the profile's features name for over-the-limit answers, if any."""
    for table in profile.features.values():
        value = table.get("exceeded_error_type") if isinstance(table, Mapping) else None
        if isinstance(value, str):
            return value
    return None


def _lenient_clauses(ctx: CheckContext) -> bool:
    """True when every linked clause is only observed elsewhere and the run is lenient."""
    return not ctx.strict and all(c.source != "document" for c in ctx.clauses)


def _reference_error(ctx: CheckContext) -> Exchange:
    """Another error answer of the same target (an unknown path), cached."""
    cached: Exchange | None = ctx.cache.get(REFERENCE_KEY)
    if cached is None:
        cached = unknown_path(ctx)
        ctx.cache[REFERENCE_KEY] = cached
    return cached


def _own_violations(ctx: CheckContext, schema: str, body: Any) -> list[Violation]:
    """How the refusal's body breaks ``schema``, less what every error answer of the
    target breaks the same way (that is the error-body clauses' business, not the rate
    limit's): the violations an unknown-path error shares at the same place and rule."""
    violations = ctx.validate(schema, body)
    if not violations:
        return []
    reference = _reference_error(ctx)
    spec = ctx.profile.statuses.get(reference.status)
    if reference.status < 400 or spec is None or not spec.schema or not reference.is_json:
        return violations
    shared = {(v.pointer, v.rule) for v in ctx.validate(spec.schema, reference.json())}
    return [v for v in violations if (v.pointer, v.rule) not in shared]


@check("ratelimit.enforced", concern="ratelimit", applies=_has_rules, needs=_EXHAUST, order=90)
def enforced(ctx: CheckContext) -> None:
    """Within one window the documented number of requests is served and the next one is
    refused with the documented status (numbers not from the document: leniently)."""
    status = ctx.profile.rate_limit.exceeded_status
    for probe in tested(ctx):
        rule = probe.rule
        clause = clause_for(ctx, rule)
        limit = f"{rule.requests} per {rule.window_seconds} s"
        note = source_note(ctx, rule.source)
        at = probe.refused_at
        if at is not None and at <= rule.requests and not probe.lenient:
            ctx.finding(
                f"refused after {at - 1} of {rule.requests} requests",
                f"{probe.subject}: request {at} in a fresh window got {status}; "
                f"the documented limit is {limit}{note}",
                *(x for x in (probe.first, probe.refused) if x is not None),
                clause=clause,
            )
        elif probe.refused is None and probe.conclusive:
            beyond = probe.sent - rule.requests
            last = probe.last_allowed or probe.first
            ctx.finding(
                f"limit not enforced: {probe.sent} requests in one window, none refused",
                f"{probe.subject}: {probe.sent} requests within one {rule.window_seconds} s "
                f"window ({beyond} beyond the documented {limit}) were all served; none got "
                f"{status}{note}",
                *(x for x in (probe.first, last) if x is not None),
                clause=clause,
            )
    unsure = [p for p in tested(ctx) if not p.conclusive]
    if unsure and not ctx.findings:
        ctx.skip(
            "could not send enough requests within one window to judge "
            + ", ".join(f"{p.subject} ({p.sent} sent in {p.rule.window_seconds} s)" for p in unsure)
            + "; the host or target is too slow for the virtual clock, which flows in real time"
        )


@check("ratelimit.exceeded-body", concern="ratelimit", applies=_has_rules, needs=_EXHAUST, order=91)
def exceeded_body(ctx: CheckContext) -> None:
    """A request refused over the limit gets the documented error body (what every error
    answer of the target breaks alike is left to the error-body checks)."""
    policy = ctx.profile.rate_limit
    refused = [p for p in tested(ctx) if p.refused is not None]
    if not refused:
        ctx.skip("no request was refused over a limit, so there is no refusal to inspect")
    expected_type = _documented_error_type(ctx.profile)
    for probe in refused:
        x = probe.refused
        assert x is not None
        body: Any = x.json()
        if body is None and not x.is_json:
            ctx.finding(
                f"{x.status} body is not JSON",
                f"{probe.subject}: the refusal's body does not parse as JSON",
                x,
            )
            continue
        if policy.body_schema:
            violations = _own_violations(ctx, policy.body_schema, body)
            if violations:
                shown = "; ".join(str(v) for v in violations[:5])
                ctx.finding(
                    f"{x.status} body breaks {policy.body_schema}",
                    f"{probe.subject}: {shown}",
                    x,
                    _reference_error(ctx),
                    note="the second answer is an ordinary error of the same target, for "
                    "comparison: what it breaks the same way is not counted here",
                )
                continue
        if expected_type and isinstance(body, Mapping) and expected_type not in body.values():
            ctx.finding(
                f"{x.status} body lacks the error type {expected_type!r}",
                f"{probe.subject}: no top-level field of the refusal says {expected_type!r}"
                + source_note(ctx, "public-facts"),
                x,
            )


@check(
    "ratelimit.retry-after",
    concern="ratelimit",
    applies=_retry_after_seconds,
    needs=_EXHAUST,
    order=91,
)
def retry_after(ctx: CheckContext) -> None:
    """A request refused over the limit carries Retry-After as a whole number of seconds
    (lenient for a public-facts clause: an HTTP date is accepted too)."""
    refused = [p for p in tested(ctx) if p.refused is not None]
    if not refused:
        ctx.skip("no request was refused over a limit, so there is no Retry-After to inspect")
    lenient = _lenient_clauses(ctx)
    note = source_note(ctx, "public-facts") if lenient else ""
    for probe in refused:
        x = probe.refused
        assert x is not None
        value = x.headers.get("retry-after")
        if value is None:
            ctx.finding(
                "Retry-After missing",
                f"{probe.subject}: the {x.status} refusal has no Retry-After header{note}",
                x,
            )
        elif not _SECONDS.match(value.strip()):
            if lenient and value.strip() and _is_http_date(value):
                continue
            ctx.finding(
                "Retry-After not in whole seconds",
                f"{probe.subject}: Retry-After is {value!r}, not a whole number of seconds{note}",
                x,
            )


def _is_http_date(value: str) -> bool:
    return parse_retry_after(value, 0.0) is not None


@check("ratelimit.recovers", concern="ratelimit", applies=_has_rules, needs=_EXHAUST, order=92)
def recovers(ctx: CheckContext) -> None:
    """A block for exceeding a limit is temporary: after waiting out the window (and
    Retry-After), the same request is served again."""
    blocked = [p for p in tested(ctx) if p.refused is not None]
    if not blocked:
        ctx.skip("no request was refused over a limit, so there is no block to lift")
    for probe in blocked:
        x = probe.recovery
        if x is not None and is_refused(ctx, x):
            ctx.finding(
                "still refused after the pause",
                f"{probe.subject}: after moving the clock {probe.pause:.0f} s past the refusal "
                f"(beyond the {probe.rule.window_seconds} s window and any Retry-After) the "
                f"same request still got {x.status}",
                *(e for e in (probe.refused, x) if e is not None),
                clause=clause_for(ctx, probe.rule),
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
