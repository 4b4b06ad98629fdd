"""Every error response of the run carries the documented error body of its status, and
(where the document maps them) the error type of its status.

Both checks run late (high ``order``) and judge every error response recorded so far,
after provoking two of their own (an unknown path, a request without credentials). A
problem is about the status of the response (``status-<code>``, where that status has a
body schema of its own) and the body field it is at (``field-<name>``, for the fields
``[features.errors]`` lists); the vendor's links route each to its clause.
"""

from __future__ import annotations

from harness.catalog import Clause
from harness.checks._context import CheckContext
from harness.checks._ops import shown
from harness.checks._registry import check
from harness.checks.errors._common import (
    PUBLIC_FACTS_NOTE,
    body_aspects,
    error_schema,
    is_timestamp_format,
    problem_aspects,
    provoke_samples,
    recorded_errors,
    routed,
    violation_subject,
)
from harness.checks.errors._features import ERRORS, errors_of
from harness.client import Exchange
from harness.profiles import Profile
from harness.validation import Violation

Problem = tuple[tuple[str, ...], str]  # (aspects, text)


def _describe(status: int, violation: Violation) -> str:
    message = violation.message if len(violation.message) <= 160 else violation.message[:157]
    schema = violation.schema_id.rsplit("/", 1)[-1]
    return f"{status} {violation.pointer or '(root)'}: {message} [{violation.rule} in {schema}]"


def _empty_body_allowed(ctx: CheckContext, clauses: tuple[Clause, ...]) -> bool:
    """Lenient mode, and the clause's ambiguity has a reading under which an error may
    come without a body (``[features.errors] empty_body_readings``)."""
    readings = set(errors_of(ctx.profile).empty_body_readings)
    return not ctx.strict and any(
        c.ambiguity is not None and readings & set(c.ambiguity.readings) for c in clauses
    )


def _body_problems(ctx: CheckContext, exchange: Exchange) -> list[Problem]:
    status = exchange.status
    schema = error_schema(ctx.profile, status)
    if schema is None:
        return []
    general = problem_aspects(ctx.profile, status)
    clauses = routed(ctx, general)
    if not clauses:
        return []
    body = exchange.json()
    if not exchange.content.strip():
        if _empty_body_allowed(ctx, clauses):
            return []  # a lenient reading promises no body (a message only "usually")
        return [(general, f"{status} has an empty body")]
    if body is None and not exchange.is_json:
        return [(general, f"{status} body is not JSON: {exchange.content[:80]!r}")]
    problems: list[Problem] = []
    for violation in ctx.validate(schema, body):
        if is_timestamp_format(violation):
            continue
        aspects = problem_aspects(ctx.profile, status, violation_subject(violation))
        problems.append((aspects, _describe(status, violation)))
    return problems


@check("errors.body-shape", concern="errors", health=True, order=80, aspects=body_aspects)
def body_shape(ctx: CheckContext) -> None:
    """Every error response of the run carries the documented error body of its status."""
    provoke_samples(ctx)
    # (clauses, status) -> aspects, texts, exchanges
    problems: dict[tuple[tuple[str, ...], int], tuple[tuple[str, ...], list[str], list[Exchange]]]
    problems = {}
    for exchange in recorded_errors(ctx):
        for aspects, text in _body_problems(ctx, exchange):
            key = (tuple(c.id for c in routed(ctx, aspects)), exchange.status)
            entry = problems.setdefault(key, (aspects, [], []))
            entry[1].append(text)
            if exchange not in entry[2]:
                entry[2].append(exchange)
    for (_, status), (aspects, texts, exchanges) in sorted(problems.items()):
        clauses = routed(ctx, aspects)
        note = PUBLIC_FACTS_NOTE if clauses and clauses[0].source == "public-facts" else ""
        ctx.finding(
            f"{status} error body is not the documented error shape",
            shown(sorted(set(texts))) + f" ({len(exchanges)} response(s))" + note,
            *exchanges[:3],
            aspect=aspects,
        )


def _has_types(profile: Profile) -> str | None:
    return None if errors_of(profile).types else "the profile maps no error types"


@check(
    "errors.type-per-status",
    concern="errors",
    requires=(ERRORS,),
    applies=_has_types,
    order=80,
)
def type_per_status(ctx: CheckContext) -> None:
    """Every error body recorded in the run carries the error type documented for its status."""
    provoke_samples(ctx)
    documented = ctx.feature(ERRORS)
    types = {int(k): v for k, v in documented.types.items()}
    known = set(types.values())
    wrong: dict[int, list[Exchange]] = {}
    for exchange in recorded_errors(ctx):
        expected = types.get(exchange.status)
        body = exchange.json()
        if expected is None or not isinstance(body, dict):
            continue  # an undocumented status has no documented type; shape is another check's
        values = {v for v in body.values() if isinstance(v, str)}
        if expected not in values:
            wrong.setdefault(exchange.status, []).append(exchange)
    public = documented.types_source == "public-facts"
    for status, exchanges in sorted(wrong.items()):
        body = exchanges[0].json()
        found = sorted(v for v in body.values() if isinstance(v, str) and v in known)
        ctx.finding(
            f"{status} error has the wrong error type",
            f"a {status} should carry the error type {types[status]!r}; found "
            f"{', '.join(found) or 'no documented type'} in {len(exchanges)} response(s)"
            + (PUBLIC_FACTS_NOTE if public else ""),
            *exchanges[:3],
        )
