"""Error checks that provoke documented errors with read requests only.

An unknown path and an unknown record answer 404, a URI that does not serve the JSON API
answers its documented status, a malformed query parameter and an enum value outside the
documented set are refused with the documented status. The bodies of these answers are
judged afterwards by ``errors.body-shape`` (it runs late, over every recorded error).
"""

from __future__ import annotations

import re
from typing import Any

from harness.catalog import Clause
from harness.checks._context import CheckContext
from harness.checks._ops import call
from harness.checks._registry import check
from harness.checks.errors import feature, named_statuses, shown, unknown_path_exchange
from harness.client import Exchange
from harness.profiles import Operation, Profile

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A well-formed id of each documented id format that no record is expected to have.
_MISSING_IDS = {
    "integer": 2147483646,
    "uuid": "00000000-0000-4000-8000-000000000000",
    "objectid": "000000000000000000000000",
    "string": "HARNESS-NO-SUCH-ID",
}


def _lists_404(profile: Profile) -> str | None:
    return None if 404 in profile.statuses else "the document lists no 404 status"


def _json_problem(ctx: CheckContext, exchange: Exchange) -> str | None:
    """Why an error answer does not carry the JSON body the profile's content type promises."""
    if ctx.profile.content_type.endswith("json") and not isinstance(exchange.json(), dict):
        return f"the {exchange.status} body is not a JSON object: {exchange.content[:80]!r}"
    return None


@check("errors.unknown-path", concern="errors", applies=_lists_404, health=True)
def unknown_path(ctx: CheckContext) -> None:
    """A path that does not exist under the base URL answers 404 with an error body."""
    exchange = unknown_path_exchange(ctx)
    if exchange.status != 404:
        ctx.finding(
            f"unknown path answered {exchange.status}",
            f"{exchange.method} of a path that does not exist should answer 404, "
            f"got {exchange.status}",
            exchange,
        )
        return
    problem = _json_problem(ctx, exchange)
    if problem:
        ctx.finding("404 without an error body", problem, exchange)


def _record_reads(op: Operation) -> bool:
    names = _PLACEHOLDER.findall(op.path)
    return op.kind == "object" and not op.write and len(names) == 1 and op.path.endswith("}")


def missing_id(profile: Profile) -> Any:
    """A well-formed id of the documented format that no record has."""
    example = feature(profile, "ids").get("missing_example")
    return example if example is not None else _MISSING_IDS.get(profile.id_format, "0")


@check(
    "errors.unknown-record",
    concern="errors",
    applies=_lists_404,
    per_operation=_record_reads,
)
def unknown_record(ctx: CheckContext) -> None:
    """Reading a record by a well-formed id that does not exist answers 404 with an error body."""
    op = ctx.operation
    assert op is not None
    name = _PLACEHOLDER.findall(op.path)[0]
    value = missing_id(ctx.profile)
    exchange = call(ctx, op, ids={name: value})
    if exchange.status != 404:
        ctx.finding(
            f"unknown record answered {exchange.status}",
            f"{op.method} {op.path} with {name}={value} (well-formed, no such record) should "
            f"answer 404, got {exchange.status}",
            exchange,
        )
        return
    problem = _json_problem(ctx, exchange)
    if problem:
        ctx.finding("404 without an error body", problem, exchange)


def _not_acceptable(profile: Profile) -> str | None:
    found = feature(profile, "not_acceptable")
    if found.get("example_path") and found.get("status"):
        return None
    return "the document names no URI that refuses JSON API requests"


@check("errors.not-acceptable", concern="errors", applies=_not_acceptable)
def not_acceptable(ctx: CheckContext) -> None:
    """A known URI that does not serve the JSON API answers its documented status (406)."""
    spec = feature(ctx.profile, "not_acceptable")
    path, status = str(spec["example_path"]), int(spec["status"])
    exchange = ctx.client.request("GET", path, operation="not-acceptable", write=False)
    if exchange.status != status:
        ctx.finding(
            f"{path} answered {exchange.status}",
            f"GET {path} is documented to answer {status}, got {exchange.status}",
            exchange,
        )


# ---------------------------------------------------------------- bad parameters
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
    invalid = feature(ctx.profile, "invalid_params")
    documented = [dict(v) for v in invalid.get("bad_values") or ()]
    covered = {name for value in documented for name in value}
    values = documented + [v for v in values if not covered & set(v)]
    if ctx.strict:
        values += [dict(v) for v in invalid.get("unknown_names") or ()]
    return values


def expected_statuses(ctx: CheckContext, clause: Clause | None, default: int | None) -> set[int]:
    """The statuses a refusal may have: those the clause's readings name (the strict one
    only in strict mode), else the profile's documented default."""
    found: set[int] = set()
    if clause is not None and clause.ambiguity is not None:
        readings = clause.ambiguity.readings
        texts = [readings[clause.ambiguity.strict]] if ctx.strict else list(readings.values())
        for text in texts:
            found |= named_statuses(text)[0]
    if default is not None and not (ctx.strict and found):
        found.add(default)
    return found


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


# ---------------------------------------------------------------- enum filters
def _enum_filters(profile: Profile) -> tuple[Operation, list[str]] | None:
    enums, filters = feature(profile, "enums"), feature(profile, "filters")
    params = filters.get("params") or {}
    names = [k for k, v in enums.items() if isinstance(v, list | tuple) and k in params]
    op_id = filters.get("operation")
    if not names or not isinstance(op_id, str):
        return None
    return profile.operation(op_id), names


def _has_enum_filters(profile: Profile) -> str | None:
    return None if _enum_filters(profile) else "the document gives no enumerated filter"


def invalid_enum_status(profile: Profile) -> int:
    status = feature(profile, "enums").get("invalid_status")
    return int(status) if status else 422


@check("errors.invalid-enum-filter", concern="errors", applies=_has_enum_filters)
def invalid_enum_filter(ctx: CheckContext) -> None:
    """A filter value outside its documented set of values is refused (422)."""
    found = _enum_filters(ctx.profile)
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
