"""Collection filters: exact-match filters, several filters together (AND), free-text search.

The filters, their documented values and the filtered operation come from
``[features.filters]`` (and ``[features.enums]`` for the values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of, page_params
from harness.checks._registry import check
from harness.checks.rules_a import (
    clause_about,
    feature,
    is_success,
    list_page,
    shown,
    split_example,
)
from harness.client import Exchange
from harness.profiles import Operation, Profile

NO_MATCH = "zqxjharnessnomatch"


def _filters(profile: Profile) -> Mapping[str, Any]:
    found = feature(profile, "filters").get("params")
    return found if isinstance(found, Mapping) else {}


def exact_params(profile: Profile) -> list[str]:
    """Filters documented as exact matches."""
    return [str(p) for p, d in _filters(profile).items() if "exact" in str(d).lower()]


def search_param(profile: Profile) -> str | None:
    for name, description in _filters(profile).items():
        text = f"{name} {description}".lower()
        if "search" in text or "free-text" in text or "full-text" in text:
            return str(name)
    return None


def _op(ctx: CheckContext) -> Operation:
    named = feature(ctx.profile, "filters").get("operation")
    return ctx.profile.operation(str(named)) if named else ctx.profile.main_operation


def _paging(ctx: CheckContext) -> dict[str, Any]:
    size = ctx.profile.pagination.max_size or ctx.profile.pagination.default_size
    return page_params(ctx.profile.pagination, None, size)


def _unfiltered(ctx: CheckContext) -> list[Any]:
    """The largest first page of the filtered collection (skips when it is not a list)."""
    op = _op(ctx)
    size = ctx.profile.pagination.max_size or ctx.profile.pagination.default_size
    exchange = list_page(ctx, op, size)
    records = items_of(ctx, exchange.json()) if is_success(exchange) else None
    if records is None:
        ctx.skip(f"{op.path} answered {exchange.status} without a list to filter")
    return records


def _filtered(ctx: CheckContext, params: dict[str, str]) -> tuple[Exchange, list[Any] | None]:
    exchange = call(ctx, _op(ctx), params=params, paging=_paging(ctx))
    return exchange, items_of(ctx, exchange.json()) if is_success(exchange) else None


def _values(ctx: CheckContext, param: str, records: list[Any]) -> list[str]:
    documented = feature(ctx.profile, "enums").get(param)
    if isinstance(documented, list) and documented:
        return [str(v) for v in documented]
    seen = [str(r[param]) for r in records if isinstance(r, dict) and r.get(param) is not None]
    return list(dict.fromkeys(seen))[:5]


def _applies_exact(profile: Profile) -> str | None:
    return None if exact_params(profile) else "the profile documents no exact-match filter"


def _matches(record: Any, wanted: Mapping[str, str]) -> bool:
    return isinstance(record, dict) and all(str(record.get(k)) == v for k, v in wanted.items())


def _judge(
    ctx: CheckContext, wanted: dict[str, str], records: list[Any], clause: str | None
) -> None:
    """Every record of the filtered answer satisfies every filter; none missing entirely."""
    exchange, found = _filtered(ctx, wanted)
    query = "&".join(f"{k}={v}" for k, v in wanted.items())
    if found is None:
        ctx.finding(
            f"filter {query} refused",
            f"GET {_op(ctx).path}?{query} answered {exchange.status} without a list",
            exchange,
            clause=clause,
        )
        return
    wrong = [
        f"/{i}: " + ", ".join(f"{k}={r.get(k)!r}" for k in wanted)
        if isinstance(r, dict)
        else f"/{i}"
        for i, r in enumerate(found)
        if not _matches(r, wanted)
    ]
    if wrong:
        ctx.finding(
            f"filter {query} returns other records",
            f"GET {_op(ctx).path}?{query} returned {len(wrong)} of {len(found)} records that do "
            f"not match: " + shown(wrong),
            exchange,
            clause=clause,
        )
    elif not found and any(_matches(r, wanted) for r in records):
        ctx.finding(
            f"filter {query} returns nothing",
            f"GET {_op(ctx).path}?{query} returned no record although the unfiltered list "
            "holds matching ones",
            exchange,
            clause=clause,
        )


@check("rules_a.filter-exact", concern="vendor", applies=_applies_exact)
def filter_exact(ctx: CheckContext) -> None:
    """Each exact-match filter, for each documented value, returns only records with
    exactly that value."""
    records = _unfiltered(ctx)
    params = exact_params(ctx.profile)
    for param in params:
        clause = clause_about(ctx, param, *[p for p in params if p != param])
        for value in _values(ctx, param, records):
            _judge(ctx, {param: value}, records, clause)


def _combination(ctx: CheckContext, records: list[Any]) -> dict[str, str]:
    """The documented example combination, else the values of a listed record."""
    params = exact_params(ctx.profile)
    _, example = split_example(str(feature(ctx.profile, "filters").get("example") or ""))
    wanted = {k: v for k, v in example.items() if k in params}
    if len(wanted) < 2:
        first = next((r for r in records if isinstance(r, dict)), {})
        wanted = {p: str(first[p]) for p in params if first.get(p) is not None}
    return wanted


def _applies_combined(profile: Profile) -> str | None:
    if len(exact_params(profile)) < 2:
        return "the profile documents fewer than two exact-match filters"
    return None


@check("rules_a.filter-combined", concern="vendor", applies=_applies_combined)
def filter_combined(ctx: CheckContext) -> None:
    """Several filters together all apply: every record matches each of them."""
    records = _unfiltered(ctx)
    wanted = _combination(ctx, records)
    if len(wanted) < 2:
        ctx.skip("no two filter values to combine")
    _judge(ctx, wanted, records, None)


def _applies_search(profile: Profile) -> str | None:
    return None if search_param(profile) else "the profile documents no search filter"


def _contains(record: Any, term: str) -> bool:
    return isinstance(record, dict) and any(
        isinstance(v, str) and term.lower() in v.lower() for v in record.values()
    )


def _term(ctx: CheckContext, records: list[Any]) -> str | None:
    fields = [str(f) for f in feature(ctx.profile, "filters").get("search_fields", [])]
    for record in records:
        if not isinstance(record, dict):
            continue
        texts = [v for k, v in record.items() if isinstance(v, str) and (not fields or k in fields)]
        words = sorted((w.strip(".,:;!?()") for t in texts for w in t.split()), key=len)
        if words and len(words[-1]) >= 4:
            return words[-1]
    return None


@check("rules_a.filter-search", concern="vendor", applies=_applies_search)
def filter_search(ctx: CheckContext) -> None:
    """The search parameter is accepted and narrows the list to matching records."""
    param = search_param(ctx.profile)
    assert param is not None
    records = _unfiltered(ctx)
    term = _term(ctx, records)
    probes = [(NO_MATCH, "an unmatched term")]
    if term:
        probes.insert(0, (term, "a word of a listed record"))
    for value, label in probes:
        exchange, found = _filtered(ctx, {param: value})
        if found is None:
            ctx.finding(
                f"{param}= refused",
                f"GET {_op(ctx).path}?{param}={value} ({label}) answered {exchange.status} "
                "instead of a (possibly empty) list",
                exchange,
            )
            continue
        if value == NO_MATCH and records and len(found) >= len(records):
            ctx.finding(
                f"{param}= does not narrow",
                f"GET {_op(ctx).path}?{param}={value} returned {len(found)} records, as many as "
                "the unfiltered list: the search is ignored",
                exchange,
            )
        elif ctx.strict:
            strays = [f"/{i}" for i, r in enumerate(found) if not _contains(r, value)]
            if strays or (value == term and not found):
                ctx.finding(
                    f"{param}={value} does not match",
                    f"strict: {len(strays)} records without {value!r} in any text attribute "
                    f"({shown(strays)}), or none for a word taken from a listed record "
                    "(the searched attributes are assumed, not documented)",
                    exchange,
                )
