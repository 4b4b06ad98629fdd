"""Asking for what does not exist: an unknown path and an unknown record answer 404 with
an error body, and a URI that does not serve the JSON API answers its documented status.

Read requests only. The bodies of these answers are judged afterwards by
``errors.body-shape`` (it runs late, over every recorded error).
"""

from __future__ import annotations

import re

from harness.checks._context import CheckContext
from harness.checks._ops import call
from harness.checks._registry import check
from harness.checks.errors._common import missing_id, unknown_path_exchange
from harness.checks.errors._features import NOT_ACCEPTABLE
from harness.client import Exchange
from harness.profiles import Operation, Profile

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


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


@check("errors.not-acceptable", concern="errors", requires=(NOT_ACCEPTABLE,))
def not_acceptable(ctx: CheckContext) -> None:
    """A known URI that does not serve the JSON API answers its documented status (406)."""
    documented = ctx.feature(NOT_ACCEPTABLE)
    path, status = documented.example_path, documented.status
    exchange = ctx.client.request("GET", path, operation="not-acceptable", write=False)
    if exchange.status != status:
        ctx.finding(
            f"{path} answered {exchange.status}",
            f"GET {path} is documented to answer {status}, got {exchange.status}",
            exchange,
        )
