"""Which requests serve an operation: the documented method (strictly, no other), and a
GET query string that is ignored where the document says so.

Driven by ``[features.transport]``: ``methods`` (the only methods that serve operations)
and ``get_parameters = "ignored"``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._ops import call, describe, fetch_operation, items_of, main_read, page_params
from harness.checks._registry import check
from harness.checks.transport._common import TRANSPORT, served
from harness.profiles import Profile

__all__: list[str] = []


def _has_methods(profile: Profile) -> str | None:
    transport = TRANSPORT.read(profile)
    if transport is not None and transport.methods:
        return None
    return "the document does not restrict the request method ([features.transport] methods)"


@check(
    "transport.documented-method",
    concern="transport",
    requires=(TRANSPORT,),
    applies=_has_methods,
)
def documented_method(ctx: CheckContext) -> None:
    """Operations are served with the documented method and a JSON body; strictly, no other."""
    methods = [m.upper() for m in ctx.feature(TRANSPORT).methods]
    main = main_read(ctx.profile)
    if main.method not in methods:
        ctx.skip(f"the profile's main operation uses {main.method}, not one of {methods}")
    exchange = fetch_operation(ctx, main)
    if not served(ctx, exchange):
        if exchange.status >= 400 and exchange.status not in (400, 405, 415):
            ctx.skip(f"{describe(exchange)}: the call failed for another reason")
        ctx.finding(
            f"{main.method} with a JSON body not served",
            f"{describe(exchange)}: the documented {main.method} call was not served",
            exchange,
        )
        return
    if not ctx.strict:
        return
    other = "GET" if main.method != "GET" else "POST"
    probe = call(ctx, replace(main, id=f"{main.id}.{other.lower()}", method=other))
    if served(ctx, probe):
        ctx.finding(
            f"{other} served",
            f"{describe(probe)}: the operation was served with {other}; the strict reading "
            f"serves only {', '.join(methods)}",
            probe,
        )


def _get_ignored(profile: Profile) -> str | None:
    transport = TRANSPORT.read(profile)
    if transport is not None and transport.get_parameters == "ignored":
        return None
    return "the document does not say GET parameters are ignored"


@check(
    "transport.get-params-ignored",
    concern="transport",
    requires=(TRANSPORT,),
    applies=_get_ignored,
)
def get_params_ignored(ctx: CheckContext) -> None:
    """A token and paging values sent as a GET query string are not honoured."""
    main = main_read(ctx.profile)
    fresh = call(ctx, main)  # a current token (and the POSTed baseline)
    if not served(ctx, fresh):
        ctx.skip(f"{describe(fresh)}: the documented call itself is not served")
    scheme = ctx.profile.auth[0]
    values = {**ctx.target.credentials, "access_token": ctx.client.token.access_token or ""}
    params: dict[str, Any] = {}
    if scheme.kind in ("body", "query") and scheme.name:
        params[scheme.name] = render(scheme.value or "{access_token}", values)
    pagination = ctx.profile.pagination
    params.update(page_params(pagination, pagination.first_page, 1))
    exchange = ctx.client.request(
        "GET", main.path, params=params, auth=None, operation=f"{main.id}.get-query", write=False
    )
    if served(ctx, exchange):
        items = items_of(ctx, exchange.json())
        shown = f" with {len(items)} record(s)" if items is not None else ""
        ctx.finding(
            "GET query parameters honoured",
            f"GET {main.path} with {', '.join(sorted(params))} in the query string was served"
            f"{shown}; parameters sent with GET must be ignored (so the call is refused)",
            exchange,
            note="the credential in the query string is redacted",
        )
