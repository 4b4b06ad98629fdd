"""Resources: the documented collections exist, records can be fetched by id, related
records nest as documented, and percent-encoded search values are understood (read-only).

Driven by ``[features.resources]`` (``collections``: paths), ``[features.nesting]``
(``related_key_style``, ``known_keys``) and ``[features.url_encoding]`` (``probe``: a
parameter and a value holding reserved characters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from harness.checks._context import CheckContext, CheckSkipped
from harness.checks._ops import (
    fetch_ids,
    fetch_operation,
    items_of,
    list_operation_for,
    read_operations,
)
from harness.checks._registry import check
from harness.checks.rules_b import (
    feature,
    public_note,
    read_bodies,
    records_of,
    requires,
    shown,
    usable,
)
from harness.client import Exchange
from harness.profiles import Operation, Profile

# ---------------------------------------------------------------- percent-encoded values


def _has_probe(profile: Profile) -> str | None:
    probe = feature(profile, "url_encoding").get("probe")
    if not isinstance(probe, Mapping) or not probe.get("param") or not probe.get("value"):
        return "the profile gives no [features.url_encoding] probe (param and value)"
    main = profile.main_operation
    if main.method != "GET" or main.kind != "list" or "{" in main.path:
        return "the main collection is not read with GET and a query string"
    return None


@check("rules_b.url-encoded", concern="vendor", applies=_has_probe)
def url_encoded(ctx: CheckContext) -> None:
    """A search value sent percent-encoded (space, colon) is decoded and served."""
    probe = feature(ctx.profile, "url_encoding")["probe"]
    op = ctx.profile.main_operation
    query = f"{quote(str(probe['param']), safe='')}={quote(str(probe['value']), safe='')}"
    exchange = ctx.client.request(op.method, f"{op.path}?{query}", operation=op.id)
    expected = op.status or 200
    if not usable(ctx, exchange, f"{op.path}?{query}") or exchange.status != expected:
        ctx.finding(
            "encoded search value not understood",
            f"{op.method} {op.path}?{query} answered {exchange.status}, not {expected}: the "
            f"percent-encoded value {probe['value']!r} was not decoded and accepted",
            exchange,
        )
    elif records_of(ctx, op, exchange.json()) is None:
        ctx.finding(
            "encoded search value not understood",
            f"{op.method} {op.path}?{query} answered {exchange.status} without a collection",
            exchange,
        )


# ---------------------------------------------------------------- nested related records


def _has_nesting(profile: Profile) -> str | None:
    if feature(profile, "nesting").get("related_key_style") != "capitalised":
        return "the profile documents no related records under capitalised keys"
    return None


def _records(ctx: CheckContext, op: Operation, body: Any) -> list[Any]:
    if op.kind == "list":
        found = records_of(ctx, op, body)
        return found[1] if found is not None else []
    return [body]


def _related_problems(ctx: CheckContext, record: Mapping[str, Any], where: str) -> list[str]:
    known = {str(k) for k in feature(ctx.profile, "nesting").get("known_keys", [])}
    integer = ctx.profile.id_format == "integer"
    problems = []
    for key, value in record.items():
        if key[:1].isupper() or key in known:
            if value is None:
                if ctx.strict:
                    problems.append(f"{where}/{key} is null")
                continue
            if not isinstance(value, Mapping):
                problems.append(f"{where}/{key} is {type(value).__name__}, not an object")
                continue
            rid = value.get("id")
            good = (isinstance(rid, int) and not isinstance(rid, bool)) if integer else bool(rid)
            if not good:
                problems.append(f"{where}/{key}/id is {rid!r}, not an {ctx.profile.id_format} id")
        elif ctx.strict and isinstance(value, Mapping) and "id" in value:
            problems.append(f"{where}/{key} nests a record under a key that is not capitalised")
    return problems


@check("rules_b.nested-related", concern="vendor", applies=_has_nesting)
def nested_related(ctx: CheckContext) -> None:
    """Related records nest as objects with an id under capitalised keys."""
    note = public_note(ctx)
    for op, exchange in read_bodies(ctx):
        problems: list[str] = []
        for index, record in enumerate(_records(ctx, op, exchange.json())):
            if isinstance(record, Mapping):
                where = f"/{index}" if op.kind == "list" else ""
                problems += _related_problems(ctx, record, where)
        if problems:
            ctx.finding(
                f"{op.id}: related records not nested as documented",
                f"{len(problems)} problem(s): {shown(problems)}{note}",
                exchange,
            )


# ---------------------------------------------------------------- documented resources


def _is_collection(ctx: CheckContext, body: Any) -> bool:
    return isinstance(body, list) or items_of(ctx, body) is not None


def _list_for(ctx: CheckContext, path: str) -> Exchange:
    for op in ctx.profile.operations:
        if op.kind == "list" and read_operations(op) and op.path == path:
            return fetch_operation(ctx, op)
    return ctx.client.request("GET", path, operation=f"GET {path}")


@check(
    "rules_b.resources",
    concern="vendor",
    applies=requires("resources", "collections"),
)
def resources(ctx: CheckContext) -> None:
    """Each documented collection answers a list, and its listed records can be fetched by id."""
    paths = [str(p) for p in feature(ctx.profile, "resources")["collections"]]
    note = public_note(ctx)
    for path in paths:
        exchange = _list_for(ctx, path)
        if not usable(ctx, exchange, path):
            ctx.finding(
                f"collection {path} not served",
                f"GET {path} answered {exchange.status}{note}",
                exchange,
            )
        elif not _is_collection(ctx, exchange.json()):
            ctx.finding(
                f"collection {path} is not a list",
                f"GET {path} answered {exchange.status} without a list of records{note}",
                exchange,
            )
    for op in ctx.profile.operations:
        listing = list_operation_for(ctx, op) if op.kind == "object" else None
        if listing is None or not read_operations(op) or listing.path not in paths:
            continue
        try:
            exchange = fetch_operation(ctx, op)
        except CheckSkipped:
            continue  # an empty collection: nothing listed to fetch
        ids = fetch_ids(ctx, op) or {}
        if not usable(ctx, exchange, op.path):
            ctx.finding(
                f"listed record not fetchable: {op.path}",
                f"{op.method} {op.path} with {ids} (listed in {listing.path}) answered "
                f"{exchange.status}{note}",
                exchange,
            )
            continue
        body = exchange.json()
        wanted = {k: str(v) for k, v in ids.items()}
        got = {k: str(body.get(k, body.get("id"))) for k in ids} if isinstance(body, dict) else {}
        if got != wanted:
            ctx.finding(
                f"fetched record is not the one asked for: {op.path}",
                f"{op.method} {op.path} with {wanted} answered a record with {got or body!r}{note}",
                exchange,
            )
