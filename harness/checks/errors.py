"""Error checks: every documented error status answers with its documented error body.

This module holds what the error checks share (which schema an error status has, which
linked clause a violation is about, the unknown-path probe) and the checks that judge the
error responses the run has recorded. The provoking checks are in ``errors_provoke.py``
(404, 406, bad parameters, invalid enum filters) and ``errors_input.py`` (malformed or
invalid request bodies).

Nothing here names a vendor or a clause: statuses, schemas and features come from the
profile, and when a check is linked to several clauses of one vendor, the broken one is
picked by what the clause's summary is about (the statuses it names, the body fields it
mentions).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from harness.auth import resolve_pointer
from harness.catalog import Clause
from harness.checks._context import CheckContext
from harness.checks._ops import call
from harness.checks._registry import check
from harness.client import Exchange
from harness.errors import HarnessError
from harness.profiles import Profile
from harness.validation import Violation

__all__ = [
    "PUBLIC_FACTS_NOTE",
    "clause_for",
    "error_schema",
    "named_statuses",
    "recorded_errors",
    "shown",
    "unknown_path_exchange",
]

UNKNOWN_PATH = "/harness-no-such-resource"
PUBLIC_FACTS_NOTE = " (this is observed in PUBLIC-FACTS.md, not promised by the document)"
_STATUS_TOKEN = re.compile(r"(?<![\w.])([1-5])(\d\d|xx)(?:\s*-\s*([1-5]\d\d))?(?![\w])")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


# ---------------------------------------------------------------- small helpers
def shown(values: list[str], limit: int = 5) -> str:
    """A short list for a finding message."""
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return "; ".join(values[:limit]) + more


def feature(profile: Profile, name: str) -> dict[str, Any]:
    return dict(profile.features.get(name) or {})


def error_schema(profile: Profile, status: int | None) -> str | None:
    """The schema an error body of ``status`` must match.

    The status's own schema; else one named for it by ``[features.errors]
    extra_statuses``; else the vendor's general ``error.schema.json``; else the schema
    most documented 4xx statuses share.
    """
    spec = profile.statuses.get(status) if status is not None else None
    if spec is not None and spec.schema:
        return spec.schema
    extra = feature(profile, "errors").get("extra_statuses") or {}
    if status is not None and isinstance(extra.get(str(status)), str):
        return str(extra[str(status)])
    if (profile.folder / "error.schema.json").is_file():
        return "error.schema.json"
    counts = Counter(
        s.schema for code, s in profile.statuses.items() if 400 <= code < 500 and s.schema
    )
    return counts.most_common(1)[0][0] if counts else None


def recorded_errors(ctx: CheckContext) -> Iterator[Exchange]:
    """Error responses (4xx/5xx) recorded so far in this run, one per distinct body."""
    seen: set[tuple[int, bytes]] = set()
    for exchange in list(ctx.client.exchanges):
        if exchange.status < 400 or exchange.method == "HEAD":
            continue
        key = (exchange.status, exchange.content)
        if key not in seen:
            seen.add(key)
            yield exchange


def unknown_path_exchange(ctx: CheckContext) -> Exchange:
    """The main operation sent to a path that does not exist under the base URL (cached).

    Sent the way the main operation is sent (its method, its body template, default
    auth), so a POST-only API is asked for an unknown operation, not for an unknown verb.
    """
    key = "errors:unknown-path"
    if key not in ctx.cache:
        main = ctx.profile.main_operation
        probe = replace(main, id=f"{main.id}:unknown-path", path=UNKNOWN_PATH, write=False)
        ctx.cache[key] = call(ctx, probe)
    exchange: Exchange = ctx.cache[key]
    return exchange


# ---------------------------------------------------------------- which clause is it about
def named_statuses(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """The status codes (``404``, ``400-406``) and classes (``4xx`` -> 4) a text names."""
    codes: set[int] = set()
    classes: set[int] = set()
    for first, rest, upper in _STATUS_TOKEN.findall(text):
        if rest == "xx":
            classes.add(int(first))
            continue
        low = int(first + rest)
        codes.update(range(low, int(upper) + 1) if upper else (low,))
    return frozenset(codes), frozenset(classes)


def _specific(clause: Clause) -> int | None:
    codes, classes = named_statuses(clause.summary)
    return next(iter(codes)) if len(codes) == 1 and not classes else None


def _covers(clause: Clause, status: int) -> bool | None:
    codes, classes = named_statuses(clause.summary)
    if not codes and not classes:
        return None
    return status in codes or status // 100 in classes


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) is not None


def clause_for(
    ctx: CheckContext, status: int, subject: str = "", fields: frozenset[str] = frozenset()
) -> Clause | None:
    """The linked clause a problem with an error body of ``status`` is about.

    A clause naming only this status (``... 422 ...``) owns it; otherwise, among the
    clauses that cover the status, the one mentioning the problem's body field
    (``subject``) with the fewest other fields; otherwise the most general clause (the
    one mentioning the most body fields).
    """
    clauses = list(ctx.clauses)
    if not clauses:
        return None
    for clause in clauses:
        if _specific(clause) == status:
            return clause
    general = [c for c in clauses if _specific(c) is None]
    pool = [c for c in general if _covers(c, status) is not False] or general or clauses

    def weight(clause: Clause) -> int:
        return sum(1 for f in fields if _mentions(clause.summary, f))

    if subject:
        about = [c for c in pool if _mentions(c.summary, subject)]
        if about:
            return min(about, key=weight)
    return max(pool, key=weight)


def schema_fields(ctx: CheckContext, file_name: str) -> frozenset[str]:
    """Top-level property names a schema defines (through allOf/anyOf/oneOf and $ref)."""
    found: set[str] = set()
    seen: set[str] = set()
    store = ctx.session.store

    def walk(node: Any, base: str) -> None:
        if not isinstance(node, dict):
            return
        properties = node.get("properties")
        if isinstance(properties, dict):
            found.update(properties)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key) or ():
                walk(sub, base)
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = urljoin(base, ref)
            if target in seen:
                return
            seen.add(target)
            document, _, fragment = target.partition("#")
            try:
                schema = store.schema(document)
            except HarnessError:
                return
            walk(resolve_pointer(schema, fragment) if fragment else schema, document)

    sid = ctx.schema(file_name)
    walk(store.schema(sid), sid)
    return frozenset(found)


def _subject(violation: Violation) -> str:
    """The top-level body field a violation is at ("" for the body as a whole)."""
    if not violation.pointer:
        return ""
    return violation.pointer.split("/")[1].replace("~1", "/").replace("~0", "~")


def _timestamp_format(violation: Violation) -> bool:
    """A date-time format problem: the timestamp clauses' business, not the error shape's."""
    return (
        violation.rule in ("format", "pattern")
        and isinstance(violation.value, str)
        and _DATE_LIKE.match(violation.value) is not None
    )


# ---------------------------------------------------------------- the body check
def _shapeless_reading(clause: Clause) -> bool:
    """Whether some reading of the clause's ambiguity prescribes no body schema at all."""
    readings = clause.ambiguity.readings.values() if clause.ambiguity else ()
    return any(".schema.json" not in text for text in readings)


def _describe(status: int, violation: Violation) -> str:
    message = violation.message if len(violation.message) <= 160 else violation.message[:157]
    schema = violation.schema_id.rsplit("/", 1)[-1]
    return f"{status} {violation.pointer or '(root)'}: {message} [{violation.rule} in {schema}]"


def _body_problems(ctx: CheckContext, exchange: Exchange) -> list[tuple[Clause, str]]:
    schema = error_schema(ctx.profile, exchange.status)
    if schema is None:
        return []
    status = exchange.status
    body = exchange.json()
    fields = schema_fields(ctx, schema) | (frozenset(body) if isinstance(body, dict) else set())
    general = clause_for(ctx, status, "", fields)
    if general is None:
        return []
    if not exchange.content.strip():
        if not ctx.strict and _shapeless_reading(general):
            return []  # a lenient reading promises no body (a message only "usually")
        return [(general, f"{status} has an empty body")]
    if body is None and not exchange.is_json:
        return [(general, f"{status} body is not JSON: {exchange.content[:80]!r}")]
    problems: list[tuple[Clause, str]] = []
    for violation in ctx.validate(schema, body):
        if _timestamp_format(violation):
            continue
        clause = clause_for(ctx, status, _subject(violation), fields) or general
        problems.append((clause, _describe(status, violation)))
    return problems


def _provoke_samples(ctx: CheckContext) -> None:
    """Make sure the run has error responses to judge: an unknown path, no credentials."""
    unknown_path_exchange(ctx)
    spec = ctx.profile.statuses.get(401)
    if spec is None or not spec.schema:
        return
    if any(x.status == 401 for x in ctx.client.exchanges):
        return
    key = "errors:no-credentials"
    if key not in ctx.cache:
        ctx.cache[key] = call(ctx, ctx.profile.main_operation, auth=None)


@check("errors.body-shape", concern="errors", health=True, order=80)
def body_shape(ctx: CheckContext) -> None:
    """Every error response of the run carries the documented error body of its status."""
    _provoke_samples(ctx)
    problems: dict[tuple[str, int], tuple[Clause, list[str], list[Exchange]]] = {}
    for exchange in recorded_errors(ctx):
        for clause, text in _body_problems(ctx, exchange):
            entry = problems.setdefault((clause.id, exchange.status), (clause, [], []))
            entry[1].append(text)
            if exchange not in entry[2]:
                entry[2].append(exchange)
    for (clause_id, status), (clause, texts, exchanges) in sorted(problems.items()):
        note = PUBLIC_FACTS_NOTE if clause.source == "public-facts" else ""
        ctx.finding(
            f"{status} error body is not the documented error shape",
            shown(sorted(set(texts))) + f" ({len(exchanges)} response(s))" + note,
            *exchanges[:3],
            clause=clause_id,
        )


def _has_types(profile: Profile) -> str | None:
    types = feature(profile, "errors").get("types")
    return None if isinstance(types, dict) and types else "the profile maps no error types"


@check("errors.type-per-status", concern="errors", applies=_has_types, order=80)
def type_per_status(ctx: CheckContext) -> None:
    """Every error body recorded in the run carries the error type documented for its status."""
    _provoke_samples(ctx)
    types = {int(k): str(v) for k, v in feature(ctx.profile, "errors")["types"].items()}
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
    source = feature(ctx.profile, "errors").get("types_source")
    for status, exchanges in sorted(wrong.items()):
        body = exchanges[0].json()
        found = sorted(v for v in body.values() if isinstance(v, str) and v in known)
        ctx.finding(
            f"{status} error has the wrong error type",
            f"a {status} should carry the error type {types[status]!r}; found "
            f"{', '.join(found) or 'no documented type'} in {len(exchanges)} response(s)"
            + (PUBLIC_FACTS_NOTE if source == "public-facts" else ""),
            *exchanges[:3],
        )
