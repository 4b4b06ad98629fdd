"""Bad query parameters are refused: a malformed paging or ordering value on the main
collection gets the documented status, and so does a filter value outside its documented
set of values (422 unless the document says otherwise).

Read requests only. Where the invalid-parameter clause is ambiguous about the status,
``[features.invalid_params] reading_statuses`` gives the status of each reading: lenient
mode accepts any of them, strict mode the strict reading's.
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, shown
from harness.checks._registry import check
from harness.checks.errors._common import expected_statuses, invalid_enum_status
from harness.checks.errors._features import invalid_params_of
from harness.checks.filters._features import FILTERS
from harness.checks.records._features import ENUMS
from harness.client import Exchange
from harness.profiles import Operation, Profile


def _bad_values(ctx: CheckContext) -> list[dict[str, Any]]:
    """Malformed values of the parameters every collection recognises: the document's own
    examples first, then one per paging or ordering parameter they leave out (and, in
    strict mode, unknown parameter names where the strict reading refuses them)."""
    pagination = ctx.profile.pagination
    values: list[dict[str, Any]] = []
    if pagination.size_param:
        values.append({pagination.size_param: "abc"})
    if pagination.style == "offset" and pagination.offset_param:
        values.append({pagination.offset_param: -1})
    elif pagination.page_param:
        values.append({pagination.page_param: "abc"})
    if pagination.order_param and pagination.order_values:
        values.append({pagination.order_param: "harness-no-such-order"})
    invalid = invalid_params_of(ctx.profile)
    documented = [dict(v) for v in invalid.bad_values]
    covered = {name for value in documented for name in value}
    values = documented + [v for v in values if not covered & set(v)]
    if ctx.strict:
        values += [dict(v) for v in invalid.unknown_names]
    return values


def _paged_main(profile: Profile) -> str | None:
    main = profile.main_operation
    if main.kind == "list" and main.paged and not main.write:
        return None
    return "the main collection is not paged"


@check("errors.bad-parameter", concern="errors", applies=_paged_main)
def bad_parameter(ctx: CheckContext) -> None:
    """A malformed query parameter on the main collection is refused with the documented status."""
    op = ctx.profile.main_operation
    clause = ctx.clauses[0] if ctx.clauses else None
    allowed = expected_statuses(ctx, clause, ctx.profile.pagination.bad_param_status)
    if not allowed:
        ctx.skip("the document gives no status for invalid parameters")
    wrong: list[tuple[str, Exchange]] = []
    for values in _bad_values(ctx):
        if ctx.profile.pagination.location == "body":
            exchange = call(ctx, op, paging=values)
        else:
            exchange = call(ctx, op, params=values)
        if exchange.status not in allowed:
            shown_values = "&".join(f"{k}={v}" for k, v in values.items())
            wrong.append((f"{shown_values} -> {exchange.status}", exchange))
    if wrong:
        ctx.finding(
            "invalid parameter not refused",
            f"{op.method} {op.path} with an invalid parameter should answer "
            f"{' or '.join(str(s) for s in sorted(allowed))}: " + shown([w for w, _ in wrong]),
            *[x for _, x in wrong[:3]],
        )


def enum_filters(profile: Profile) -> tuple[Operation, list[str]] | None:
    """The operation the documented filters apply to, and those of its filters that have
    a documented set of values (``[features.filters]``, ``[features.enums]``)."""
    enums, filters = ENUMS.read(profile), FILTERS.read(profile)
    if enums is None or filters is None:
        return None
    params = filters.params or {}
    names = [k for k in enums.value_sets() if k in params]
    if not names or filters.operation is None:
        return None
    return profile.operation(filters.operation), names


def _has_enum_filters(profile: Profile) -> str | None:
    return None if enum_filters(profile) else "the document gives no enumerated filter"


@check("errors.invalid-enum-filter", concern="errors", applies=_has_enum_filters)
def invalid_enum_filter(ctx: CheckContext) -> None:
    """A filter value outside its documented set of values is refused (422)."""
    found = enum_filters(ctx.profile)
    assert found is not None
    op, names = found
    status = invalid_enum_status(ctx.profile)
    for name in names:
        value = f"harness-not-a-{name}"
        exchange = call(ctx, op, params={name: value})
        if exchange.status != status:
            ctx.finding(
                f"invalid {name} filter answered {exchange.status}",
                f"{op.method} {op.path}?{name}={value} (not a documented {name}) should be "
                f"refused with {status}, got {exchange.status}",
                exchange,
            )
