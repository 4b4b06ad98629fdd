"""The statuses of what the run has recorded: only statuses the document lists, no
failure disguised as a success, and successes without content answered 204.

They run late (high ``order``) so that they see the exchanges of most other checks;
each makes at most one request of its own, so that it has something to judge.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import fetch_operation
from harness.checks._registry import check
from harness.checks.errors._common import error_schema, unknown_path_exchange
from harness.client import Exchange
from harness.profiles import Profile


def _main_read(ctx: CheckContext) -> Exchange:
    return fetch_operation(ctx, ctx.profile.main_operation)


@check("errors.status-set", concern="errors", order=85)
def status_set(ctx: CheckContext) -> None:
    """Every response of the run has one of the status codes the document lists."""
    _main_read(ctx)
    unknown_path_exchange(ctx)
    listed = set(ctx.profile.statuses)
    odd: dict[int, list[Exchange]] = {}
    for exchange in ctx.client.exchanges:
        if exchange.status not in listed:
            odd.setdefault(exchange.status, []).append(exchange)
    for status, exchanges in sorted(odd.items()):
        ctx.finding(
            f"undocumented status {status}",
            f"{len(exchanges)} response(s) answered {status}, which is not among the "
            f"documented statuses {', '.join(str(s) for s in sorted(listed))}",
            *exchanges[:3],
        )


def _has_error_schema(profile: Profile) -> str | None:
    return None if error_schema(profile, None) else "the document gives no error body shape"


@check("errors.error-in-success", concern="errors", applies=_has_error_schema, order=85)
def error_in_success(ctx: CheckContext) -> None:
    """No success response of the run carries an error body instead of its data."""
    _main_read(ctx)
    schema = error_schema(ctx.profile, None)
    assert schema is not None
    schemas = {op.id: op.schema for op in ctx.profile.operations if op.schema}
    disguised: list[Exchange] = []
    for exchange in ctx.client.exchanges:
        body = exchange.json()
        if not 200 <= exchange.status < 300 or not isinstance(body, dict):
            continue
        if ctx.validate(schema, body):
            continue  # not an error body
        own = schemas.get(exchange.operation)
        if own and not ctx.validate(own, body):
            continue  # also its documented success body
        disguised.append(exchange)
    if disguised:
        ctx.finding(
            "failure answered as a success",
            f"{len(disguised)} response(s) answered {disguised[0].status} with an error body "
            "instead of an error status",
            *disguised[:3],
        )


def _lists_204(profile: Profile) -> str | None:
    spec = profile.statuses.get(204)
    return None if spec is not None and spec.empty_body else "the document lists no 204 status"


@check("errors.empty-success", concern="errors", applies=_lists_204, order=85)
def empty_success(ctx: CheckContext) -> None:
    """A success with nothing to return answers 204 without a body (strict: never an empty 200)."""
    seen = 0
    for exchange in ctx.client.exchanges:
        if exchange.method == "HEAD" or not 200 <= exchange.status < 300:
            continue
        empty = not exchange.content.strip()
        if exchange.status == 204:
            seen += 1
            if not empty:
                ctx.finding(
                    "204 with a body",
                    f"a 204 No Content response carried {len(exchange.content)} bytes",
                    exchange,
                )
        elif empty:
            seen += 1
            if ctx.strict:
                ctx.finding(
                    f"empty success answered {exchange.status}",
                    f"{exchange.method} answered {exchange.status} with no content; the "
                    "strict reading expects 204 No Content",
                    exchange,
                )
    if not seen:
        ctx.skip("no success without content was recorded in this run")
