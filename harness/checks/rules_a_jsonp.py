"""JSON-P: a callback parameter wraps any answer in ``callback({meta, data})``; meta
repeats the status (a number) and the headers (strings, Link pre-parsed)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call
from harness.checks._registry import check
from harness.checks.rules_a import (
    feature,
    loosely,
    parse_link,
    requires,
    same_url,
    shown,
)
from harness.client import Exchange

_CALL = re.compile(r"^\s*(?:/\*\*/\s*)?([A-Za-z_$][\w$.]*)\s*\((.*)\)\s*;?\s*$", re.S)


@dataclass
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


def _pairs(ctx: CheckContext) -> list[Pair]:
    """The main read and an unauthenticated one (an error answer), each sent plainly and
    then wrapped, back to back (so both see the same data)."""
    key = "rules_a:jsonp"
    if key not in ctx.cache:
        f = feature(ctx.profile, "jsonp")
        params = {str(f.get("param") or "callback"): str(f.get("example_callback") or "cb")}
        op = ctx.profile.main_operation
        ctx.cache[key] = [
            Pair("the main read", call(ctx, op), call(ctx, op, params=params)),
            Pair(
                "an unauthenticated read",
                call(ctx, op, auth=None),
                call(ctx, op, auth=None, params=params),
            ),
        ]
    pairs: list[Pair] = ctx.cache[key]
    return pairs


def _names(ctx: CheckContext) -> tuple[str, str, str, str]:
    f = feature(ctx.profile, "jsonp")
    return (
        str(f.get("param") or "callback"),
        str(f.get("example_callback") or "cb"),
        str(f.get("meta_key") or "meta"),
        str(f.get("data_key") or "data"),
    )


@check("rules_a.jsonp-wrap", concern="vendor", applies=requires("jsonp"))
def jsonp_wrap(ctx: CheckContext) -> None:
    """With the callback parameter, any answer becomes callback({meta, data}) carrying the
    same data, under the documented media type."""
    param, name, meta_key, data_key = _names(ctx)
    header_schema = ctx.profile.headers.get("jsonp")
    for pair in _pairs(ctx):
        argument, problem = unwrap(pair.wrapped.content, name)
        if problem is None and (
            not isinstance(argument, dict) or set(argument) != {meta_key, data_key}
        ):
            keys = sorted(argument) if isinstance(argument, dict) else type(argument).__name__
            problem = f"the argument is not one {{{meta_key}, {data_key}}} object (got {keys})"
        if problem is not None:
            ctx.finding(
                f"{param}= does not wrap {pair.label}",
                f"with ?{param}={name}, {pair.label}: {problem}",
                pair.wrapped,
            )
            continue
        data = argument[data_key]
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
        if header_schema:
            violations = ctx.validate_headers(header_schema, pair.wrapped.headers)
            if violations:
                ctx.finding(
                    "JSON-P media type",
                    f"{pair.label}: Content-Type {pair.wrapped.headers.get('content-type')!r} "
                    f"is not an accepted reading ({violations[0].message})",
                    pair.wrapped,
                )


def _meta_problems(ctx: CheckContext, meta: Any, plain: Exchange, param: str) -> list[str]:
    if not isinstance(meta, dict):
        return [f"meta is {type(meta).__name__}, not an object"]
    problems: list[str] = []
    status = meta.get("status")
    if not isinstance(status, int) or isinstance(status, bool):
        problems.append(f"status is {status!r}, not the HTTP status as a number")
    elif status != plain.status:
        problems.append(f"status is {status}, the same request answers {plain.status}")
    volatile = {h.lower() for h in ctx.profile.rate_limit.headers.values()}
    volatile |= {"date", "retry-after", "etag"}
    for name, value in meta.items():
        if name == "status":
            continue
        if name.lower() == "link":
            problems += _link_problems(value, plain.headers.get("link", ""), param)
        elif not isinstance(value, str):
            problems.append(f"{name} is {type(value).__name__}, not the header's string value")
        elif (
            name.lower() not in volatile
            and name in plain.headers
            and (plain.headers[name] != value)
        ):
            problems.append(f"{name} is {value!r}, the header says {plain.headers[name]!r}")
    present = {k.lower() for k in meta}
    for name in ctx.profile.pagination.headers:
        if name in plain.headers and name.lower() not in present:
            problems.append(f"the {name} header is missing from meta")
    return problems


def _link_problems(value: Any, header: str, param: str) -> list[str]:
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
    expected = parse_link(header)
    got = {(t[1]["rel"], t[0]) for t in value}
    missing = [
        rel
        for url, params in expected
        if (rel := params.get("rel", ""))
        and not any(r == rel and same_url(u, url, (param,)) for r, u in got)
    ]
    if missing:
        return [f"Link lacks the header's relations {missing}"]
    return []


@check("rules_a.jsonp-meta", concern="vendor", applies=requires("jsonp"))
def jsonp_meta(ctx: CheckContext) -> None:
    """JSON-P meta holds the HTTP status as a number, the headers as their string values
    and Link as [url, {rel}] tuples."""
    param, name, meta_key, _ = _names(ctx)
    for pair in _pairs(ctx):
        argument, problem = unwrap(pair.wrapped.content, name)
        if problem is not None or not isinstance(argument, dict) or meta_key not in argument:
            continue  # no meta to read: the wrapping check reports it
        problems = _meta_problems(ctx, argument[meta_key], pair.plain, param)
        if problems:
            ctx.finding(
                f"JSON-P {meta_key} is wrong for {pair.label}",
                shown(problems),
                pair.plain,
                pair.wrapped,
            )
