"""Exact-match filters: each documented exact filter, for each documented value, returns
only records with exactly that value; several filters together all apply (AND).

Driven by ``[features.filters]`` (``exact``, ``example``) and, for the values,
``[features.enums]``. A finding of ``filters.exact`` is about one filter: a vendor links
each filter's clause as ``filters.exact:<parameter>``.
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import split_example
from harness.checks._registry import check
from harness.checks.filters._common import judge, unfiltered
from harness.checks.filters._features import FILTERS
from harness.checks.records._features import ENUMS
from harness.profiles import Profile


def exact_params(profile: Profile) -> tuple[str, ...]:
    """The filters documented as exact matches."""
    table = FILTERS.read(profile)
    return table.exact if table else ()


def _values(ctx: CheckContext, param: str, records: list[Any]) -> list[str]:
    """The documented values of ``param``, else up to five values listed records hold."""
    enums = ctx.optional_feature(ENUMS)
    documented = enums.value_sets().get(param) if enums else None
    if documented:
        return [str(v) for v in documented]
    seen = [str(r[param]) for r in records if isinstance(r, dict) and r.get(param) is not None]
    return list(dict.fromkeys(seen))[:5]


def _applies_exact(profile: Profile) -> str | None:
    return None if exact_params(profile) else "the profile documents no exact-match filter"


@check(
    "filters.exact",
    concern="vendor",
    requires=(FILTERS,),
    applies=_applies_exact,
    aspects=exact_params,
    aliases=("rules_a.filter-exact",),
)
def exact(ctx: CheckContext) -> None:
    """Each exact-match filter, for each documented value, returns only records with
    exactly that value."""
    records = unfiltered(ctx)
    for param in exact_params(ctx.profile):
        for value in _values(ctx, param, records):
            judge(ctx, {param: value}, records, aspect=param)


def _combination(ctx: CheckContext, records: list[Any]) -> dict[str, str]:
    """The documented example combination, else the values of a listed record."""
    params = exact_params(ctx.profile)
    _, example = split_example(ctx.feature(FILTERS).example or "")
    wanted = {k: v for k, v in example.items() if k in params}
    if len(wanted) < 2:
        first = next((r for r in records if isinstance(r, dict)), {})
        wanted = {p: str(first[p]) for p in params if first.get(p) is not None}
    return wanted


def _applies_combined(profile: Profile) -> str | None:
    if len(exact_params(profile)) < 2:
        return "the profile documents fewer than two exact-match filters"
    return None


@check(
    "filters.combined",
    concern="vendor",
    requires=(FILTERS,),
    applies=_applies_combined,
    aliases=("rules_a.filter-combined",),
)
def combined(ctx: CheckContext) -> None:
    """Several filters together all apply: every record matches each of them."""
    records = unfiltered(ctx)
    wanted = _combination(ctx, records)
    if len(wanted) < 2:
        ctx.skip("no two filter values to combine")
    judge(ctx, wanted, records)
