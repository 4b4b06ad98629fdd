"""Searching a collection: the free-text search parameter narrows the list to matching
records, and a search value sent percent-encoded (space, colon) is decoded and served.

Driven by ``[features.filters]`` (``search``, ``search_fields``) and
``[features.url_encoding]`` (``probe``: a parameter and a value with reserved characters).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from harness.checks._context import CheckContext
from harness.checks._ops import shown
from harness.checks._registry import check
from harness.checks.filters._common import filtered, filtered_operation, unfiltered
from harness.checks.filters._features import FILTERS, URL_ENCODING
from harness.checks.records._common import records_of, usable
from harness.profiles import Profile

NO_MATCH = "zqxjharnessnomatch"


def _applies_search(profile: Profile) -> str | None:
    table = FILTERS.read(profile)
    return None if table and table.search else "the profile documents no search filter"


def _contains(record: Any, term: str) -> bool:
    return isinstance(record, dict) and any(
        isinstance(v, str) and term.lower() in v.lower() for v in record.values()
    )


def _term(ctx: CheckContext, records: list[Any]) -> str | None:
    """The longest word (4 letters or more) of the searched attributes of a listed record."""
    fields = ctx.feature(FILTERS).search_fields
    for record in records:
        if not isinstance(record, dict):
            continue
        texts = [v for k, v in record.items() if isinstance(v, str) and (not fields or k in fields)]
        words = sorted((w.strip(".,:;!?()") for t in texts for w in t.split()), key=len)
        if words and len(words[-1]) >= 4:
            return words[-1]
    return None


@check(
    "filters.search",
    concern="vendor",
    requires=(FILTERS,),
    applies=_applies_search,
    aliases=("rules_a.filter-search",),
)
def search(ctx: CheckContext) -> None:
    """The search parameter is accepted and narrows the list to matching records."""
    param = ctx.feature(FILTERS).search
    assert param is not None
    path = filtered_operation(ctx).path
    records = unfiltered(ctx)
    term = _term(ctx, records)
    probes = [(NO_MATCH, "an unmatched term")]
    if term:
        probes.insert(0, (term, "a word of a listed record"))
    for value, label in probes:
        exchange, found = filtered(ctx, {param: value})
        if found is None:
            ctx.finding(
                f"{param}= refused",
                f"GET {path}?{param}={value} ({label}) answered {exchange.status} "
                "instead of a (possibly empty) list",
                exchange,
            )
            continue
        if value == NO_MATCH and records and len(found) >= len(records):
            ctx.finding(
                f"{param}= does not narrow",
                f"GET {path}?{param}={value} returned {len(found)} records, as many as "
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


def _has_probe(profile: Profile) -> str | None:
    main = profile.main_operation
    if main.method != "GET" or main.kind != "list" or "{" in main.path:
        return "the main collection is not read with GET and a query string"
    return None


@check(
    "filters.url-encoded",
    concern="vendor",
    requires=(URL_ENCODING,),
    applies=_has_probe,
    aliases=("rules_b.url-encoded",),
)
def url_encoded(ctx: CheckContext) -> None:
    """A search value sent percent-encoded (space, colon) is decoded and served."""
    probe = ctx.feature(URL_ENCODING).probe
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
