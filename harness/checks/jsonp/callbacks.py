"""JSON-P callbacks: with the callback query parameter, any answer (a success or an
error) becomes one call ``callback({meta, data})``.

- ``jsonp.wrap``: data is the plain answer's body, under a media type the document
  allows (the ambiguous one resolved by the strict reading in strict mode);
- ``jsonp.meta``: meta repeats the HTTP status as a number, each header as its string
  value, and the Link header pre-parsed into ``[url, {rel}]`` tuples (read with the one
  RFC 8288 parser, :func:`harness.checks._weblinks.parse_link_header`).

Both judge the same requests: the main read and an unauthenticated one, each sent
plainly and wrapped, once per session (:func:`wrapped_pairs`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import call, loosely, shown
from harness.checks._registry import check
from harness.checks._weblinks import parse_link_header, same_url
from harness.checks.jsonp._features import JSONP, Jsonp
from harness.client import Exchange

__all__ = ["Pair", "meta", "unwrap", "wrap", "wrapped_pairs"]

_CALL = re.compile(r"^\s*(?:/\*\*/\s*)?([A-Za-z_$][\w$.]*)\s*\((.*)\)\s*;?\s*$", re.S)


@dataclass(frozen=True)
class Pair:
    """One request sent plainly and with the callback parameter."""

    label: str
    plain: Exchange
    wrapped: Exchange


def unwrap(body: bytes, callback: str) -> tuple[Any, str | None]:
    """The argument of ``callback(...)`` in a JSON-P body, or None and what is wrong."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None, "the body is not UTF-8 text"
    match = _CALL.match(text)
    if match is None:
        return None, f"the body is not a call of {callback}(...): {text[:80]!r}"
    if match.group(1) != callback:
        return None, f"the body calls {match.group(1)}(...), not {callback}(...)"
    try:
        return json.loads(match.group(2)), None
    except ValueError:
        return None, f"the argument of {callback}(...) is not one JSON value"


@memoized
def wrapped_pairs(ctx: CheckContext) -> tuple[Pair, ...]:
    """The main read and an unauthenticated one (an error answer), each sent plainly and
    then wrapped, back to back (so both see the same data)."""
    jsonp = ctx.feature(JSONP)
    params = {jsonp.param: jsonp.example_callback}
    op = ctx.profile.main_operation
    return (
        Pair("the main read", call(ctx, op), call(ctx, op, params=params)),
        Pair(
            "an unauthenticated read",
            call(ctx, op, auth=None),
            call(ctx, op, auth=None, params=params),
        ),
    )


# ------------------------------------------------------------------ wrapping
def _wrapping_problem(jsonp: Jsonp, pair: Pair) -> tuple[object, str | None]:
    """The ``{meta, data}`` argument of the wrapped answer, or what is wrong with it."""
    argument, problem = unwrap(pair.wrapped.content, jsonp.example_callback)
    if problem is None and (
        not isinstance(argument, dict) or set(argument) != {jsonp.meta_key, jsonp.data_key}
    ):
        keys = sorted(argument) if isinstance(argument, dict) else type(argument).__name__
        problem = (
            f"the argument is not one {{{jsonp.meta_key}, {jsonp.data_key}}} object (got {keys})"
        )
    return argument, problem


def _judge_data(ctx: CheckContext, jsonp: Jsonp, pair: Pair, data: object) -> None:
    """The data member holds what the same request answers without the callback."""
    param, data_key = jsonp.param, jsonp.data_key
    if pair.plain.status < 300 and loosely(data) != loosely(pair.plain.json()):
        ctx.finding(
            f"JSON-P {data_key} differs from the plain answer",
            f"{pair.label}: {data_key} does not hold the records the same request "
            f"answers without ?{param}=",
            pair.plain,
            pair.wrapped,
        )
    elif pair.plain.content.strip() and data is None:
        ctx.finding(
            f"JSON-P {data_key} is empty",
            f"{pair.label} answers a body without ?{param}=, but {data_key} is null",
            pair.plain,
            pair.wrapped,
        )


@check("jsonp.wrap", concern="vendor", requires=(JSONP,), aliases=("rules_a.jsonp-wrap",))
def wrap(ctx: CheckContext) -> None:
    """With the callback parameter, any answer becomes callback({meta, data}) carrying the
    same data, under the documented media type."""
    jsonp = ctx.feature(JSONP)
    header_schema = ctx.profile.headers.get("jsonp")
    for pair in wrapped_pairs(ctx):
        argument, problem = _wrapping_problem(jsonp, pair)
        if problem is not None or not isinstance(argument, dict):
            ctx.finding(
                f"{jsonp.param}= does not wrap {pair.label}",
                f"with ?{jsonp.param}={jsonp.example_callback}, {pair.label}: {problem}",
                pair.wrapped,
            )
            continue
        _judge_data(ctx, jsonp, pair, argument[jsonp.data_key])
        if header_schema:
            violations = ctx.validate_headers(header_schema, pair.wrapped.headers)
            if violations:
                ctx.finding(
                    "JSON-P media type",
                    f"{pair.label}: Content-Type {pair.wrapped.headers.get('content-type')!r} "
                    f"is not an accepted reading ({violations[0].message})",
                    pair.wrapped,
                )


# ------------------------------------------------------------------ meta
_VOLATILE = frozenset({"date", "retry-after", "etag"})  # may differ between two requests


def _meta_problems(ctx: CheckContext, jsonp: Jsonp, found: Any, plain: Exchange) -> list[str]:
    """How the meta member ``found`` differs from the status and headers of the plain answer."""
    if not isinstance(found, dict):
        return [f"meta is {type(found).__name__}, not an object"]
    problems: list[str] = []
    status_key = jsonp.meta_status_key
    status = found.get(status_key)
    if not isinstance(status, int) or isinstance(status, bool):
        problems.append(f"{status_key} is {status!r}, not the HTTP status as a number")
    elif status != plain.status:
        problems.append(f"{status_key} is {status}, the same request answers {plain.status}")
    volatile = {h.lower() for h in ctx.profile.rate_limit.headers.values()} | _VOLATILE
    for name, value in found.items():
        if name == status_key:
            continue
        if name.lower() == "link":
            problems += _link_problems(value, plain.headers.get("link", ""), jsonp.param)
        elif not isinstance(value, str):
            problems.append(f"{name} is {type(value).__name__}, not the header's string value")
        elif (
            name.lower() not in volatile
            and name in plain.headers
            and (plain.headers[name] != value)
        ):
            problems.append(f"{name} is {value!r}, the header says {plain.headers[name]!r}")
    present = {k.lower() for k in found}
    for name in ctx.profile.pagination.headers:
        if name in plain.headers and name.lower() not in present:
            problems.append(f"the {name} header is missing from meta")
    return problems


def _link_problems(value: Any, header: str, param: str) -> list[str]:
    """Link in meta is ``[[url, {rel}], ...]`` with every relation of the Link header
    (URLs compared without the callback parameter)."""
    shape = isinstance(value, list) and all(
        isinstance(t, list)
        and len(t) == 2
        and isinstance(t[0], str)
        and isinstance(t[1], dict)
        and isinstance(t[1].get("rel"), str)
        for t in value
    )
    if not shape:
        return [f"Link is {str(value)[:80]!r}, not a list of [url, {{rel}}] tuples"]
    expected, _ = parse_link_header(header)
    got = {(t[1]["rel"], t[0]) for t in value}
    missing = [
        rel
        for link in expected
        if (rel := link.params.get("rel", ""))
        and not any(r == rel and same_url(u, link.url, (param,)) for r, u in got)
    ]
    if missing:
        return [f"Link lacks the header's relations {missing}"]
    return []


@check("jsonp.meta", concern="vendor", requires=(JSONP,), aliases=("rules_a.jsonp-meta",))
def meta(ctx: CheckContext) -> None:
    """JSON-P meta holds the HTTP status as a number, the headers as their string values
    and Link as [url, {rel}] tuples."""
    jsonp = ctx.feature(JSONP)
    for pair in wrapped_pairs(ctx):
        argument, problem = unwrap(pair.wrapped.content, jsonp.example_callback)
        if problem is not None or not isinstance(argument, dict) or jsonp.meta_key not in argument:
            continue  # no meta to read: the wrapping check reports it
        problems = _meta_problems(ctx, jsonp, argument[jsonp.meta_key], pair.plain)
        if problems:
            ctx.finding(
                f"JSON-P {jsonp.meta_key} is wrong for {pair.label}",
                shown(problems),
                pair.plain,
                pair.wrapped,
            )
