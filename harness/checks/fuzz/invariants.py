"""The generic fuzz checks: property-based read requests built from the profile, judged by
one check per invariant.

For every read operation with parameters (a paged list, a record by id), hypothesis
draws requests from what the profile documents (:mod:`harness.checks.fuzz.parameters`,
:mod:`harness.checks.fuzz.generation`): valid page sizes and pages, documented orders and
filter values, and values outside them (zero, negative, huge, non-integer, unknown enum
values, unknown ids). They are sent once per run and judged by one check per invariant:

- ``fuzz.documented-status``: never a server error, only documented statuses;
- ``fuzz.invalid-refused``: what the document calls invalid gets its client error;
- ``fuzz.error-bodies``: every error carries the documented error body of its status;
- ``fuzz.success-shape`` / ``fuzz.success-ids`` / ``fuzz.success-timestamps``: every
  success body matches the operation's schema (its shape, its ids, its timestamps);
- ``fuzz.json-responses``: every answer with a body is JSON, labelled as such.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.errors._common import body_aspects, routed
from harness.checks.filters._features import FILTERS
from harness.checks.fuzz._common import (
    ERROR_BODIES,
    INVALID,
    JSON,
    ORDER,
    SHAPE_ASPECTS,
    STATUS,
    finding_aspects,
    fuzzable,
    refusal_aspects,
)
from harness.checks.fuzz.generation import Sent, for_operation
from harness.checks.fuzz.judges import (
    Problem,
    judge_error_body,
    judge_invalid,
    judge_json,
    judge_status,
    judge_success,
    report,
)
from harness.checks.records._features import ENUMS
from harness.profiles import Profile

__all__: list[str] = []


def _judged_as_invalid(ctx: CheckContext, sent: Sent) -> bool:
    """Whether ``fuzz.invalid-refused`` judges this request (so it reports a 5xx to it)."""
    if sent.verdict.expect != "invalid":
        return False
    return any(
        routed(ctx, finding_aspects(ctx, INVALID, (f"param-{name}",), INVALID), INVALID)
        for name in sent.verdict.about
    )


@check("fuzz.documented-status", concern="fuzz", per_operation=fuzzable, order=ORDER)
def documented_status(ctx: CheckContext) -> None:
    """Generated requests never get a server error (5xx), nor a status the document lacks."""
    _, sent = for_operation(ctx)
    problems: list[Problem] = []
    for item in sent:
        if item.exchange.status >= 500 and _judged_as_invalid(ctx, item):
            continue
        problems += judge_status(ctx, STATUS, item.exchange, item.shown())
    report(ctx, problems)


def _refusals(profile: Profile) -> str | None:
    if profile.pagination.bad_param_status is not None:
        return None
    if ENUMS.present(profile) and FILTERS.present(profile):
        return None
    return "the document gives no status for invalid parameters"


@check(
    "fuzz.invalid-refused",
    concern="fuzz",
    applies=_refusals,
    per_operation=fuzzable,
    order=ORDER,
    aspects=refusal_aspects,
)
def invalid_refused(ctx: CheckContext) -> None:
    """A generated value the document calls invalid is refused with the documented status."""
    _, sent = for_operation(ctx)
    problems: list[Problem] = []
    for item in sent:
        problems += judge_invalid(ctx, INVALID, item.exchange, item.shown(), item.verdict)
    report(ctx, problems)


@check(
    "fuzz.error-bodies", concern="fuzz", per_operation=fuzzable, order=ORDER, aspects=body_aspects
)
def error_bodies(ctx: CheckContext) -> None:
    """Every error answer to a generated request carries the documented error body."""
    _, sent = for_operation(ctx)
    problems: list[Problem] = []
    for item in sent:
        problems += judge_error_body(ctx, ERROR_BODIES, item.exchange, item.shown())
    report(ctx, problems)


def _success(ctx: CheckContext, kind: str) -> None:
    op, sent = for_operation(ctx)
    if ctx.profile.body_schema(op) is None:
        ctx.skip(
            f"{op.method} {op.path} has no success schema of its own and the profile "
            "names no generic body of its kind ([generic_schemas])"
        )
    problems: list[Problem] = []
    for item in sent:
        problems += judge_success(ctx, ctx.check, item.exchange, item.shown(), op, kind)
    report(ctx, problems)


@check(
    "fuzz.success-shape", concern="fuzz", per_operation=fuzzable, order=ORDER, aspects=SHAPE_ASPECTS
)
def success_shape(ctx: CheckContext) -> None:
    """Every success answer to a generated request has the documented body shape (of a
    list or of one record)."""
    _success(ctx, "shape")


@check("fuzz.success-ids", concern="fuzz", per_operation=fuzzable, order=ORDER)
def success_ids(ctx: CheckContext) -> None:
    """Every id in a success answer to a generated request has the documented format."""
    _success(ctx, "id")


@check("fuzz.success-timestamps", concern="fuzz", per_operation=fuzzable, order=ORDER)
def success_timestamps(ctx: CheckContext) -> None:
    """Every timestamp in a success answer to a generated request has the documented form."""
    _success(ctx, "timestamp")


@check("fuzz.json-responses", concern="fuzz", per_operation=fuzzable, order=ORDER)
def json_responses(ctx: CheckContext) -> None:
    """Every answer with a body to a generated request is JSON with the documented media type."""
    _, sent = for_operation(ctx)
    problems: list[Problem] = []
    for item in sent:
        problems += judge_json(ctx, JSON, item.exchange, item.shown())
    report(ctx, problems)
