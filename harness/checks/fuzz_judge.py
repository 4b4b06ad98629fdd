"""The fuzz invariants, each judging one answer against a pool of linked clauses.

A judge returns :class:`Problem` s naming the clause broken; it never names a vendor or
a clause id: the pool is the clauses a check is linked to (for the schemathesis check,
those it shares with the generic check of the same invariant), and within a pool the
clause is picked by what its summary is about (the parameter it names, the statuses it
covers, the body field it mentions, a list or a record).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harness.catalog import Clause
from harness.checks._context import CheckContext
from harness.checks._shapes import record_keys, sorted_violations
from harness.checks.errors import error_schema, named_statuses, schema_fields
from harness.checks.errors_provoke import expected_statuses, invalid_enum_status
from harness.checks.fuzz_params import Verdict
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
    "mentions",
    "report",
]

_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_LIST_WORDS = ("list", "collection", "array")


@dataclass(frozen=True)
class Problem:
    clause: Clause
    title: str
    text: str
    exchange: Exchange


def mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text, re.IGNORECASE) is not None


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
    extra = (profile.features.get("errors") or {}).get("extra_statuses") or {}
    found = set(profile.statuses) | {int(code) for code in extra}
    found.add(profile.rate_limit.exceeded_status)
    return found


def _enumerates(clause: Clause, documented: set[int]) -> bool:
    """Whether the clause is a status set: it names most of the documented statuses."""
    codes, _ = named_statuses(clause.summary)
    return len(codes & documented) * 2 >= len(documented)


def judge_status(
    ctx: CheckContext, exchange: Exchange, what: str, pool: Sequence[Clause]
) -> list[Problem]:
    """Never a server error; where the clause lists the status set, only those statuses."""
    if not pool:
        return []
    clause = pool[0]
    status = exchange.status
    if status >= 500:
        return [
            Problem(
                clause,
                f"server error {status}",
                describe(exchange, what) + ": a server error (5xx)",
                exchange,
            )
        ]
    documented = documented_statuses(ctx.profile)
    if status not in documented and _enumerates(clause, documented):
        shown = ", ".join(str(s) for s in sorted(documented))
        return [
            Problem(
                clause,
                f"undocumented status {status}",
                describe(exchange, what) + f": not one of {shown}",
                exchange,
            )
        ]
    return []


# ---------------------------------------------------------------- refusals
def pick_by_name(pool: Sequence[Clause], name: str, all_names: Iterable[str]) -> Clause | None:
    """The clause naming the parameter, else the one naming no parameter at all."""
    named = [c for c in pool if mentions(c.summary, name)]
    if named:
        return named[0]
    names = list(all_names)
    general = [c for c in pool if not any(mentions(c.summary, n) for n in names)]
    return general[0] if general else None


def judge_invalid(
    ctx: CheckContext,
    exchange: Exchange,
    what: str,
    verdict: Verdict,
    pool: Sequence[Clause],
    all_names: Iterable[str],
) -> list[Problem]:
    """A request the document says is invalid gets the documented client error."""
    if verdict.expect != "invalid" or not pool:
        return []
    names = list(all_names) + list(verdict.about)
    clauses: list[Clause] = []
    allowed: set[int] = set()
    default = ctx.profile.pagination.bad_param_status
    for name, kind in zip(verdict.about, verdict.kinds, strict=False):
        clause = pick_by_name(pool, name, names)
        if clause is None:
            continue
        status = invalid_enum_status(ctx.profile) if kind == "enum" else default
        allowed |= expected_statuses(ctx, clause, status)
        if clause not in clauses:
            clauses.append(clause)
    if not clauses or not allowed or exchange.status in allowed:
        return []
    want = " or ".join(str(s) for s in sorted(allowed))
    text = f"{describe(exchange, what)}: {verdict.why}, so it should be refused with {want}"
    return [Problem(c, "invalid input not refused", text, exchange) for c in clauses]


# ---------------------------------------------------------------- error bodies
def _covers(clause: Clause, status: int) -> bool:
    codes, classes = named_statuses(clause.summary)
    if not codes and not classes:
        return True
    return status in codes or status // 100 in classes


def _error_clause(
    pool: Sequence[Clause], status: int, subject: str, fields: frozenset[str]
) -> Clause | None:
    """A clause naming only this status owns it; else the covering clause about the field;
    else the most general covering clause (the one mentioning most body fields)."""
    covering = [c for c in pool if _covers(c, status)]
    for clause in covering:
        codes, classes = named_statuses(clause.summary)
        if codes == {status} and not classes:
            return clause
    if not covering:
        return None

    def weight(clause: Clause) -> int:
        return sum(1 for f in fields if mentions(clause.summary, f))

    if subject:
        about = [c for c in covering if mentions(c.summary, subject)]
        if about:
            return min(about, key=weight)
    return max(covering, key=weight)


def _subject(violation: Violation) -> str:
    if not violation.pointer:
        return ""
    return violation.pointer.split("/")[1].replace("~1", "/").replace("~0", "~")


def judge_error_body(
    ctx: CheckContext, exchange: Exchange, what: str, pool: Sequence[Clause]
) -> list[Problem]:
    """An error answer carries the documented error body of its status."""
    status = exchange.status
    if status < 400 or not pool:
        return []
    schema = error_schema(ctx.profile, status)
    if schema is None:
        return []
    body = exchange.json()
    fields = schema_fields(ctx, schema) | (frozenset(body) if isinstance(body, dict) else set())
    general = _error_clause(pool, status, "", frozenset(fields))
    if general is None:
        return []
    title = f"{status} error body is not the documented error shape"
    if not exchange.content.strip():
        if general.ambiguity is not None and not ctx.strict:
            return []
        return [Problem(general, title, describe(exchange, what) + " with an empty body", exchange)]
    if not exchange.is_json:
        return [Problem(general, title, f"{describe(exchange, what)}: not JSON", exchange)]
    problems = []
    for violation in ctx.validate(schema, body):
        if (
            violation.rule in ("format", "pattern")
            and isinstance(violation.value, str)
            and _DATE_LIKE.match(violation.value)
        ):
            continue  # a timestamp's notation: the timestamp clauses' business
        clause = _error_clause(pool, status, _subject(violation), frozenset(fields)) or general
        problems.append(
            Problem(clause, title, f"{describe(exchange, what)}: {shown(violation)}", exchange)
        )
    return problems


# ---------------------------------------------------------------- success bodies
def pick_by_kind(pool: Sequence[Clause], op: Operation) -> Clause | None:
    """For a list, the clause about lists; for a record, the other; else the only one."""
    if len(pool) == 1:
        return pool[0]
    lists = [c for c in pool if any(mentions(c.summary, w) for w in _LIST_WORDS)]
    others = [c for c in pool if c not in lists]
    chosen = lists if op.kind == "list" else others
    return chosen[0] if chosen else None


def judge_success(
    ctx: CheckContext,
    exchange: Exchange,
    what: str,
    op: Operation,
    kind: str,
    pool: Sequence[Clause],
) -> list[Problem]:
    """A success body matches the operation's schema, for violations of one ``kind``
    (``shape``, ``id`` or ``timestamp``, as the envelope checks sort them)."""
    if not 200 <= exchange.status < 300 or op.schema is None or not pool:
        return []
    body = exchange.json()
    if body is None:
        return []
    found = sorted_violations(ctx, op.schema, body, record_keys(ctx, op)).get(kind, [])
    clause = pick_by_kind(pool, op) if kind == "shape" else pool[0]
    if not found or clause is None:
        return []
    listed = "; ".join(shown(v) for v in found[:3])
    more = f" (+{len(found) - 3} more)" if len(found) > 3 else ""
    titles = {
        "shape": "body is not in the documented shape",
        "id": "id in the wrong format",
        "timestamp": "timestamp in the wrong format",
    }
    return [
        Problem(
            clause, titles.get(kind, kind), f"{describe(exchange, what)}: {listed}{more}", exchange
        )
    ]


# ---------------------------------------------------------------- media type
def judge_json(
    ctx: CheckContext, exchange: Exchange, what: str, pool: Sequence[Clause]
) -> list[Problem]:
    """An answer with a body is JSON, labelled with the documented media type."""
    if not pool or not exchange.content.strip() or exchange.method == "HEAD":
        return []
    media = exchange.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    expected = ctx.profile.content_type.lower()
    if media != expected:
        return [
            Problem(
                pool[0],
                "answer not labelled as JSON",
                f"{describe(exchange, what)}: Content-Type {media or '(none)'!r}, "
                f"expected {expected}",
                exchange,
            )
        ]
    if not exchange.is_json:
        return [
            Problem(
                pool[0],
                "answer is not JSON",
                f"{describe(exchange, what)}: {exchange.content[:60]!r}",
                exchange,
            )
        ]
    return []


# ---------------------------------------------------------------- reporting
def report(ctx: CheckContext, problems: Iterable[Problem], note: str = "") -> None:
    """One finding per (clause, title), with up to three exchanges as evidence."""
    grouped: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        grouped.setdefault((problem.clause.id, problem.title), []).append(problem)
    for (clause_id, title), found in grouped.items():
        texts = list(dict.fromkeys(p.text for p in found))
        shown = "; ".join(texts[:5]) + (f" (+{len(texts) - 5} more)" if len(texts) > 5 else "")
        source = next(p.clause.source for p in found)
        public = (
            (
                " (the expectation comes from public material (PUBLIC-FACTS), not the "
                "vendor's document; it is checked leniently)"
            )
            if source == "public-facts"
            else ""
        )
        exchanges = list({id(p.exchange): p.exchange for p in found}.values())[:3]
        ctx.finding(
            title,
            f"{len(found)} generated request(s): {shown}{public}{note}",
            *exchanges,
            clause=clause_id,
        )
