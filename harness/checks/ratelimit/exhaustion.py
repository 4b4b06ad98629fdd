"""Driving each documented rate limit over its number, once per run, on the virtual clock.

For every rule the target's credentials and permissions let the harness exercise, a
:class:`Probe` moves the clock to the start of a fresh window, sends exactly the documented
number of requests and one more (for a number that is only assumed or observed elsewhere,
read leniently: up to twice the number, stopping at the first refusal), then pauses past
the window (and past Retry-After) and sends one more request, which also leaves the target
usable for whatever runs next. The probes are memoized per session: the enforcement checks
(:mod:`.enforcement`, :mod:`.refusal`) all judge the same ones.

The harness client throttles itself under the documented limit, so these requests go
through a second, unthrottled client (:meth:`~harness.client.HarnessClient.unthrottled`:
same credentials, CA, transport, clock, token state and listeners, so every exchange
reaches the reports); every request it sends is counted against the run's budget.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import call
from harness.checks.ratelimit._common import is_refused, small_page
from harness.client import Exchange
from harness.errors import HarnessError
from harness.profiles import AuthScheme, RateRule
from harness.ratelimit import parse_retry_after

__all__ = ["Probe", "exhaustion", "probes", "tested"]

START_MARGIN = 0.05  # seconds into a fresh window before the first request
MAX_PAUSE = 86400.0  # never honour a Retry-After longer than a day

Send = Callable[[CheckContext], Exchange]


@dataclass(frozen=True)
class Plan:
    """How to exercise one rule: what is sent, and whether it rides on a granted token."""

    subject: str
    send: Send
    token_auth: bool = False


@dataclass
class Probe:
    """One rule driven over its limit within one window."""

    rule: RateRule
    subject: str  # what was sent, for messages
    lenient: bool = False
    ceiling: int = 0  # how many requests the window could take at most
    sent: int = 0  # requests sent in the window (the refused one included)
    refused_at: int | None = None  # 1-based position of the first refused request
    first: Exchange | None = None
    last_allowed: Exchange | None = None
    refused: Exchange | None = None
    conclusive: bool = False  # every request went out within one window
    pause: float = 0.0  # seconds the clock was moved before the recovery request
    recovery: Exchange | None = None
    skipped: str = ""  # why this rule was not driven


def _advance(ctx: CheckContext, seconds: float) -> None:
    advance: Callable[[float], Any] | None = getattr(ctx.client.clock, "advance", None)
    if advance is None:
        ctx.skip("needs the emulator's virtual clock to move rate-limit windows")
    if seconds > 0:
        advance(seconds)


def _fresh_window(ctx: CheckContext, window: int) -> float:
    """Move the clock just past the start of a window that no earlier request shares
    (a fixed window aligned to the epoch, or a sliding one) and return its start."""
    now = ctx.client.clock.now()
    start = float((math.floor(now / window) + 2) * window)
    _advance(ctx, start + START_MARGIN - now)
    return start


@contextmanager
def _unthrottled(ctx: CheckContext) -> Iterator[CheckContext]:
    """A context whose client skips the throttle; its requests count in the budget."""
    fast = ctx.client.unthrottled()
    try:
        yield CheckContext(
            session=dataclasses.replace(ctx.session, client=fast),
            check=ctx.check,
            operation=ctx.operation,
        )
    finally:
        ctx.client.sent = fast.sent
        fast.close()


def _scheme_for(ctx: CheckContext, rule: RateRule) -> tuple[AuthScheme, str | None] | None:
    """The auth scheme (and its key) whose credential falls under ``rule``'s tier."""
    for scheme in ctx.profile.auth:
        if not ctx.client.has_credentials(scheme):
            continue
        values = [ctx.target.credentials.get(k, "") for k in scheme.credentials]
        if rule.key_prefix is None:
            return scheme, values[0] if values else None
        key = next((v for v in values if v.startswith(rule.key_prefix)), None)
        if key is not None:
            return scheme, key
    return None


def _plan(ctx: CheckContext, rule: RateRule) -> Plan | str:
    """What to send to exercise ``rule``, or why it cannot be exercised."""
    profile = ctx.profile
    kind = "read" if rule.applies_to == "all" else rule.applies_to
    found = _scheme_for(ctx, rule)
    if found is None:
        return f"no credential of the target starts with {rule.key_prefix!r}"
    scheme, key = found
    if profile.rate_limit.rule_for(kind, key) != rule:
        return f"a stricter documented rule governs {kind} calls with that credential"
    auth = "default" if scheme is profile.auth[0] else scheme.id
    tier = f" with the {rule.key_prefix}… key ({scheme.id})" if rule.key_prefix else ""
    if kind == "read":
        main = profile.main_operation
        paging = small_page(ctx, main)
        return Plan(
            f"{main.method} {main.path}{tier}",
            lambda c: call(c, main, paging=paging, auth=auth),
            scheme.from_token,
        )
    if kind == "token":
        if profile.token is None:
            return "the profile describes no token endpoint"
        grant = profile.token.grant
        body = render(dict(grant.body), ctx.target.credentials) if grant.body else None
        return Plan(
            f"{grant.method} {grant.path} (token grants)",
            lambda c: c.client.request(
                grant.method,
                grant.path,
                json=body,
                auth=None,
                operation="token-grant",
                write=False,
            ),
        )
    if not ctx.target.allow.writes:
        return "write calls need [allow] writes = true in the target file"
    create = next(
        (o for o in profile.operations if o.write and o.kind == "create" and "{" not in o.path),
        None,
    )
    if create is None:
        return "the profile lists no create operation to count writes with"
    return Plan(
        f"{create.method} {create.path}{tier} (writes)",
        lambda c: call(c, create, auth=auth),
        scheme.from_token,
    )


def _fresh_token(ctx: CheckContext, fast: CheckContext, plan: Plan, window: int) -> None:
    """Grant the token before the window opens, so no grant lands inside it."""
    if not plan.token_auth:
        return
    token = fast.client.token
    horizon = ctx.client.clock.now() + 4 * window + 60
    if token.access_token is not None and (token.expires_at or horizon) >= horizon:
        return
    token.access_token = None  # expiring within the probe: take a new one now
    plan.send(fast)  # the call itself is not judged
    fast.client.exchanges.clear()


def _drive(ctx: CheckContext, fast: CheckContext, probe: Probe, plan: Plan) -> None:
    rule = probe.rule
    clock = ctx.client.clock
    send = plan.send
    attempts = 3 if probe.ceiling <= 10 else 1  # a short window missed by a slow host
    last_at = refused_at_time = clock.now()
    for _ in range(attempts):
        probe.sent, probe.refused_at = 0, None
        probe.first = probe.last_allowed = probe.refused = None
        _fresh_token(ctx, fast, plan, rule.window_seconds)
        end = _fresh_window(ctx, rule.window_seconds) + rule.window_seconds
        while probe.sent < probe.ceiling and clock.now() < end - START_MARGIN:
            exchange = send(fast)
            fast.client.exchanges.clear()  # thousands of them: keep only what is judged
            last_at = clock.now()
            probe.sent += 1
            probe.first = probe.first or exchange
            if is_refused(ctx, exchange):
                probe.refused, probe.refused_at, refused_at_time = exchange, probe.sent, last_at
                break
            probe.last_allowed = exchange
        filled = probe.sent == probe.ceiling and last_at < end
        probe.conclusive = probe.refused is not None or filled
        if probe.conclusive:
            break
    # pause past the window (and past what Retry-After asks), then one more request
    wait = last_at + rule.window_seconds - clock.now()
    if probe.refused is not None:
        retry = parse_retry_after(probe.refused.headers.get("retry-after"), refused_at_time)
        if retry is not None:
            wait = max(wait, refused_at_time + min(retry, MAX_PAUSE) - clock.now())
    probe.pause = max(wait, 0.0) + START_MARGIN
    _advance(ctx, probe.pause)
    probe.recovery = send(fast)
    fast.client.exchanges.clear()


@memoized
def exhaustion(ctx: CheckContext) -> list[Probe] | HarnessError:
    """Every documented rule, driven over its limit once per session; the error when the
    harness could not drive the limits (kept too: once is enough)."""
    try:
        return _probe_all(ctx)
    except HarnessError as exc:
        return exc


def probes(ctx: CheckContext) -> list[Probe]:
    """Every documented rule, driven over its limit once per session."""
    found = exhaustion(ctx)
    if isinstance(found, HarnessError):
        raise found
    return found


def _probe_all(ctx: CheckContext) -> list[Probe]:
    found: list[Probe] = []
    budget = ctx.target.budget.max_requests
    with _unthrottled(ctx) as fast:
        for rule in ctx.profile.rate_limit.rules:
            plan = _plan(ctx, rule)
            probe = Probe(rule, plan if isinstance(plan, str) else plan.subject)
            probe.lenient = rule.source == "assumed" or (
                rule.source != "document" and not ctx.strict
            )
            probe.ceiling = rule.requests * 2 + 1 if probe.lenient else rule.requests + 1
            if isinstance(plan, str):
                probe.skipped = plan
            elif fast.client.sent + probe.ceiling + 4 > budget:
                probe.skipped = (
                    f"{probe.ceiling} more requests would exceed the budget of {budget}; "
                    "raise [budget] max_requests"
                )
            else:
                _drive(ctx, fast, probe, plan)
            found.append(probe)
    driven = [p.rule.window_seconds for p in found if not p.skipped]
    if driven:
        # the recovery requests opened fresh windows: leave them all behind for what runs next
        _advance(ctx, max(driven) + START_MARGIN)
    return found


def tested(ctx: CheckContext) -> list[Probe]:
    """The probes that ran; skips the check (with every reason) when none could."""
    found = probes(ctx)
    ran = [p for p in found if not p.skipped]
    if not ran:
        reasons = "; ".join(
            f"{p.rule.requests}/{p.rule.window_seconds}s: {p.skipped}" for p in found
        )
        ctx.skip("no documented rate limit could be exercised: " + (reasons or "none documented"))
    return ran
