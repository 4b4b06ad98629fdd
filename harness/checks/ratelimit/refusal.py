"""Rate-limit checks on the refusal itself: a request refused over a limit gets the
documented error body and a Retry-After in whole seconds.

They judge the refusals of the session's exhaustion
(:func:`harness.checks.ratelimit.exhaustion.probes`), so they run after
``ratelimit.enforced`` and need the same permissions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._registry import check
from harness.checks.ratelimit._common import (
    EXHAUST,
    RATE_LIMITS,
    has_rules,
    source_note,
    unknown_path,
)
from harness.checks.ratelimit.exhaustion import tested
from harness.client import Exchange
from harness.profiles import Profile
from harness.ratelimit import parse_retry_after
from harness.validation import Violation

_SECONDS = re.compile(r"^[0-9]+$")


def _retry_after_seconds(profile: Profile) -> str | None:
    if not profile.rate_limit.rules:
        return "the document states no rate limit"
    if profile.rate_limit.retry_after != "seconds":
        return "no Retry-After in seconds is documented for refused calls"
    return None


def _lenient_clauses(ctx: CheckContext) -> bool:
    """True when every linked clause is only observed elsewhere and the run is lenient."""
    return not ctx.strict and all(c.source != "document" for c in ctx.clauses)


@memoized
def reference_error(ctx: CheckContext) -> Exchange:
    """Another error answer of the same target (an unknown path), sent once per session."""
    return unknown_path(ctx)


def _own_violations(ctx: CheckContext, schema: str, body: Any) -> list[Violation]:
    """How the refusal's body breaks ``schema``, less what every error answer of the
    target breaks the same way (that is the error-body clauses' business, not the rate
    limit's): the violations an unknown-path error shares at the same place and rule."""
    violations = ctx.validate(schema, body)
    if not violations:
        return []
    reference = reference_error(ctx)
    spec = ctx.profile.statuses.get(reference.status)
    if reference.status < 400 or spec is None or not spec.schema or not reference.is_json:
        return violations
    shared = {(v.pointer, v.rule) for v in ctx.validate(spec.schema, reference.json())}
    return [v for v in violations if (v.pointer, v.rule) not in shared]


@check("ratelimit.exceeded-body", concern="ratelimit", applies=has_rules, needs=EXHAUST, order=91)
def exceeded_body(ctx: CheckContext) -> None:
    """A request refused over the limit gets the documented error body (what every error
    answer of the target breaks alike is left to the error-body checks)."""
    policy = ctx.profile.rate_limit
    refused = [p for p in tested(ctx) if p.refused is not None]
    if not refused:
        ctx.skip("no request was refused over a limit, so there is no refusal to inspect")
    documented = ctx.optional_feature(RATE_LIMITS)
    expected_type = documented.exceeded_error_type if documented is not None else None
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
                    reference_error(ctx),
                    note="the second answer is an ordinary error of the same target, for "
                    "comparison: what it breaks the same way is not counted here",
                )
                continue
        if expected_type and isinstance(body, Mapping) and expected_type not in body.values():
            ctx.finding(
                f"{x.status} body lacks the error type {expected_type!r}",
                f"{probe.subject}: no top-level field of the refusal says {expected_type!r}"
                + source_note(ctx, ctx.feature_source(RATE_LIMITS)),
                x,
            )


@check(
    "ratelimit.retry-after",
    concern="ratelimit",
    applies=_retry_after_seconds,
    needs=EXHAUST,
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
