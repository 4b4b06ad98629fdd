"""Rate-limit checks that drive each documented limit over its number: within one window
the documented number of requests is served and the next one refused, and the block
lifts once the window (and Retry-After) has passed.

They deliberately exceed the target's limits (``needs=("exhaustion", ...)``) and move the
emulator's clock between windows (``"clock_control"``), so they run last (high ``order``)
and are skipped on live targets. They share one exhaustion per rule
(:func:`harness.checks.ratelimit.exhaustion.probes`), which leaves the target usable.

Each finding is about one documented rule: its aspect names the rule's key tier or class
of calls (:func:`~harness.checks.ratelimit._common.rule_aspect`), which the vendor's links
map to the clause stating that rule.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.ratelimit._common import (
    EXHAUST,
    has_rules,
    is_refused,
    rule_aspect,
    rule_aspects,
    source_note,
)
from harness.checks.ratelimit.exhaustion import tested


@check(
    "ratelimit.enforced",
    concern="ratelimit",
    applies=has_rules,
    needs=EXHAUST,
    order=90,
    aspects=rule_aspects,
)
def enforced(ctx: CheckContext) -> None:
    """Within one window the documented number of requests is served and the next one is
    refused with the documented status (numbers not from the document: leniently)."""
    status = ctx.profile.rate_limit.exceeded_status
    for probe in tested(ctx):
        rule = probe.rule
        limit = f"{rule.requests} per {rule.window_seconds} s"
        note = source_note(ctx, rule.source)
        at = probe.refused_at
        if at is not None and at <= rule.requests and not probe.lenient:
            ctx.finding(
                f"refused after {at - 1} of {rule.requests} requests",
                f"{probe.subject}: request {at} in a fresh window got {status}; "
                f"the documented limit is {limit}{note}",
                *(x for x in (probe.first, probe.refused) if x is not None),
                aspect=rule_aspect(rule),
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
                aspect=rule_aspect(rule),
            )
    unsure = [p for p in tested(ctx) if not p.conclusive]
    if unsure and not ctx.findings:
        ctx.skip(
            "could not send enough requests within one window to judge "
            + ", ".join(f"{p.subject} ({p.sent} sent in {p.rule.window_seconds} s)" for p in unsure)
            + "; the host or target is too slow for the virtual clock, which flows in real time"
        )


@check(
    "ratelimit.recovers",
    concern="ratelimit",
    applies=has_rules,
    needs=EXHAUST,
    order=92,
    aspects=rule_aspects,
)
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
                aspect=rule_aspect(probe.rule),
            )
