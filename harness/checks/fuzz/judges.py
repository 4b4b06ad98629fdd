"""The fuzz invariants: one judge per invariant, each judging one answer.

A judge returns :class:`Problem` s naming the aspects the problem is about, in the
vocabulary of the check that judges (:func:`~harness.checks.fuzz._common.finding_aspects`):
the generic check of the invariant (its *role*) or a check judging it on the side
(``fuzz.openapi``, ``fuzz.write-bodies``). A problem whose aspects no clause of the
vendor takes is no finding: the vendor's document does not promise that behaviour.
:func:`report` turns the problems into findings, one per clause and title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.checks._context import CheckContext
from harness.checks._shapes import record_keys, sorted_violations
from harness.checks.errors._common import (
    error_schema,
    error_statuses,
    expected_statuses,
    invalid_enum_status,
    is_timestamp_format,
    problem_aspects,
    routed,
    violation_subject,
)
from harness.checks.errors._features import errors_of
from harness.checks.fuzz._common import finding_aspects
from harness.checks.fuzz.parameters import Verdict
from harness.client import Exchange
from harness.profiles import Operation, Profile
from harness.validation import Violation

__all__ = [
    "Problem",
    "documented_statuses",
    "judge_error_body",
    "judge_invalid",
    "judge_json",
    "judge_status",
    "judge_success",
    "report",
]


@dataclass(frozen=True)
class Problem:
    aspects: tuple[str, ...]
    title: str
    text: str
    exchange: Exchange


def describe(exchange: Exchange, what: str) -> str:
    return f"{what} -> {exchange.status}"


def shown(violation: Violation) -> str:
    """A violation in one short line: where, what, which rule of which schema file."""
    message = (
        violation.message if len(violation.message) <= 120 else violation.message[:117] + "..."
    )
    schema = violation.schema_id.rsplit("/", 1)[-1]
    return f"{violation.pointer or '(root)'}: {message} [{violation.rule} in {schema}]"


# ---------------------------------------------------------------- statuses
def documented_statuses(profile: Profile) -> set[int]:
    """The profile's statuses, ``extra_statuses`` and the rate limit's refusal status."""
    found = set(profile.statuses) | set(error_statuses(profile))
    found.add(profile.rate_limit.exceeded_status)
    return found


def judge_status(ctx: CheckContext, role: str, exchange: Exchange, what: str) -> list[Problem]:
    """Never a server error; where the document lists the only statuses responses use
    (``[features.errors] only_listed_statuses``), only those statuses."""
    aspects = finding_aspects(ctx, role, ())
    if not routed(ctx, aspects):
        return []
    status = exchange.status
    if status >= 500:
        text = describe(exchange, what) + ": a server error (5xx)"
        return [Problem(aspects, f"server error {status}", text, exchange)]
    documented = documented_statuses(ctx.profile)
    if status not in documented and errors_of(ctx.profile).only_listed_statuses:
        listed = ", ".join(str(s) for s in sorted(documented))
        text = describe(exchange, what) + f": not one of {listed}"
        return [Problem(aspects, f"undocumented status {status}", text, exchange)]
    return []


# ---------------------------------------------------------------- refusals
def judge_invalid(
    ctx: CheckContext, role: str, exchange: Exchange, what: str, verdict: Verdict
) -> list[Problem]:
    """A request the document says is invalid gets the documented client error; each
    parameter that makes it invalid is an aspect (``param-<name>``)."""
    if verdict.expect != "invalid":
        return []
    about: dict[tuple[str, ...], tuple[str, ...]] = {}  # clause ids -> aspects
    allowed: set[int] = set()
    default = ctx.profile.pagination.bad_param_status
    for name, kind in zip(verdict.about, verdict.kinds, strict=False):
        aspects = finding_aspects(ctx, role, (f"param-{name}",))
        clauses = routed(ctx, aspects)
        if not clauses:
            continue
        status = invalid_enum_status(ctx.profile) if kind == "enum" else default
        for clause in clauses:
            allowed |= expected_statuses(ctx, clause, status)
        about.setdefault(tuple(c.id for c in clauses), aspects)
    if not about or not allowed or exchange.status in allowed:
        return []
    want = " or ".join(str(s) for s in sorted(allowed))
    text = f"{describe(exchange, what)}: {verdict.why}, so it should be refused with {want}"
    return [Problem(a, "invalid input not refused", text, exchange) for a in about.values()]


# ---------------------------------------------------------------- error bodies
def judge_error_body(ctx: CheckContext, role: str, exchange: Exchange, what: str) -> list[Problem]:
    """An error answer carries the documented error body of its status (each problem about
    the status and the body field it is at)."""
    status = exchange.status
    if status < 400:
        return []
    schema = error_schema(ctx.profile, status)
    if schema is None:
        return []
    general = finding_aspects(ctx, role, problem_aspects(ctx.profile, status))
    clauses = routed(ctx, general)
    if not clauses:
        return []
    title = f"{status} error body is not the documented error shape"
    if not exchange.content.strip():
        if any(c.ambiguity is not None for c in clauses) and not ctx.strict:
            return []
        return [Problem(general, title, describe(exchange, what) + " with an empty body", exchange)]
    if not exchange.is_json:
        return [Problem(general, title, f"{describe(exchange, what)}: not JSON", exchange)]
    problems = []
    for violation in ctx.validate(schema, exchange.json()):
        if is_timestamp_format(violation):
            continue  # a timestamp's notation: the timestamp clauses' business
        subject = violation_subject(violation)
        aspects = finding_aspects(ctx, role, problem_aspects(ctx.profile, status, subject))
        text = f"{describe(exchange, what)}: {shown(violation)}"
        problems.append(Problem(aspects, title, text, exchange))
    return problems


# ---------------------------------------------------------------- success bodies
_SUCCESS_TITLES = {
    "shape": "body is not in the documented shape",
    "id": "id in the wrong format",
    "timestamp": "timestamp in the wrong format",
}


def judge_success(
    ctx: CheckContext, role: str, exchange: Exchange, what: str, op: Operation, kind: str
) -> list[Problem]:
    """A success body matches the operation's schema, for violations of one ``kind``
    (``shape``, ``id`` or ``timestamp``, as the envelope checks sort them); a shape
    problem is about a ``list`` or an ``object`` body."""
    schema = ctx.profile.body_schema(op)  # its own, else the vendor's generic body
    if not 200 <= exchange.status < 300 or schema is None:
        return []
    body = exchange.json()
    if body is None:
        return []
    keys = record_keys(ctx, op) if op.schema else frozenset({"id"})
    found = sorted_violations(ctx, schema, body, keys).get(kind, [])
    specific = ("list" if op.kind == "list" else "object",) if kind == "shape" else ()
    aspects = finding_aspects(ctx, role, specific)
    if not found or not routed(ctx, aspects):
        return []
    listed = "; ".join(shown(v) for v in found[:3])
    more = f" (+{len(found) - 3} more)" if len(found) > 3 else ""
    text = f"{describe(exchange, what)}: {listed}{more}"
    return [Problem(aspects, _SUCCESS_TITLES.get(kind, kind), text, exchange)]


# ---------------------------------------------------------------- media type
def judge_json(ctx: CheckContext, role: str, exchange: Exchange, what: str) -> list[Problem]:
    """An answer with a body is JSON, labelled with the documented media type."""
    aspects = finding_aspects(ctx, role, ())
    if not exchange.content.strip() or exchange.method == "HEAD" or not routed(ctx, aspects):
        return []
    media = exchange.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    expected = ctx.profile.content_type.lower()
    if media != expected:
        text = (
            f"{describe(exchange, what)}: Content-Type {media or '(none)'!r}, expected {expected}"
        )
        return [Problem(aspects, "answer not labelled as JSON", text, exchange)]
    if not exchange.is_json:
        text = f"{describe(exchange, what)}: {exchange.content[:60]!r}"
        return [Problem(aspects, "answer is not JSON", text, exchange)]
    return []


# ---------------------------------------------------------------- reporting
def report(ctx: CheckContext, problems: Iterable[Problem], note: str = "") -> None:
    """One finding per (clause, title), with up to three exchanges as evidence."""
    grouped: dict[tuple[tuple[str, ...], str], list[Problem]] = {}
    for problem in problems:
        clauses = routed(ctx, problem.aspects)
        if clauses:
            grouped.setdefault((tuple(c.id for c in clauses), problem.title), []).append(problem)
    for (_, title), found in grouped.items():
        texts = list(dict.fromkeys(p.text for p in found))
        shown = "; ".join(texts[:5]) + (f" (+{len(texts) - 5} more)" if len(texts) > 5 else "")
        clauses = routed(ctx, found[0].aspects)
        public = (
            (
                " (the expectation comes from public material (PUBLIC-FACTS), not the "
                "vendor's document; it is checked leniently)"
            )
            if clauses[0].source == "public-facts"
            else ""
        )
        exchanges = list({id(p.exchange): p.exchange for p in found}.values())[:3]
        ctx.finding(
            title,
            f"{len(found)} generated request(s): {shown}{public}{note}",
            *exchanges,
            aspect=found[0].aspects,
        )
