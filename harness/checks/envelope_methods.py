"""Request checks (transport concern): documented methods, ignored GET parameters,
the request Content-Type of writes and the status of a successful create.

Driven by the profile: ``[features.transport]`` (``methods``, ``get_parameters``),
``content.request_type`` and ``[features.request_headers]`` (``content_type_methods``),
and the create operations (``kind = "create"``, ``write = true``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._ops import (
    call,
    describe,
    fetch_operation,
    items_of,
    main_read,
    page_params,
    read_operations,
)
from harness.checks._registry import check
from harness.client import Exchange
from harness.profiles import Operation, Profile

__all__: list[str] = []

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _transport(profile: Profile) -> Mapping[str, Any]:
    found: Mapping[str, Any] = profile.features.get("transport", {})
    return found


def _served(ctx: CheckContext, exchange: Exchange) -> bool:
    """Whether a response served the operation: 2xx and not an error envelope."""
    if not 200 <= exchange.status < 300:
        return False
    body = exchange.json()
    env = ctx.profile.features.get("envelope", {})
    field, error = env.get("status_field"), env.get("error")
    return not (isinstance(body, Mapping) and field and error and body.get(field) == error)


def _has_methods(profile: Profile) -> str | None:
    if _transport(profile).get("methods"):
        return None
    return "the document does not restrict the request method ([features.transport] methods)"


@check("transport.documented-method", concern="transport", applies=_has_methods)
def documented_method(ctx: CheckContext) -> None:
    """Operations are served with the documented method and a JSON body; strictly, no other."""
    methods = [str(m).upper() for m in _transport(ctx.profile)["methods"]]
    main = main_read(ctx.profile)
    if main.method not in methods:
        ctx.skip(f"the profile's main operation uses {main.method}, not one of {methods}")
    exchange = fetch_operation(ctx, main)
    if not _served(ctx, exchange):
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
    if _served(ctx, probe):
        ctx.finding(
            f"{other} served",
            f"{describe(probe)}: the operation was served with {other}; the strict reading "
            f"serves only {', '.join(methods)}",
            probe,
        )


def _get_ignored(profile: Profile) -> str | None:
    if _transport(profile).get("get_parameters") == "ignored":
        return None
    return "the document does not say GET parameters are ignored"


@check("transport.get-params-ignored", concern="transport", applies=_get_ignored)
def get_params_ignored(ctx: CheckContext) -> None:
    """A token and paging values sent as a GET query string are not honoured."""
    main = main_read(ctx.profile)
    fresh = call(ctx, main)  # a current token (and the POSTed baseline)
    if not _served(ctx, fresh):
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
    if _served(ctx, exchange):
        items = items_of(ctx, exchange.json())
        shown = f" with {len(items)} record(s)" if items is not None else ""
        ctx.finding(
            "GET query parameters honoured",
            f"GET {main.path} with {', '.join(sorted(params))} in the query string was served"
            f"{shown}; parameters sent with GET must be ignored (so the call is refused)",
            exchange,
            note="the credential in the query string is redacted",
        )


# ---------------------------------------------------------------- writes


def _creates(profile: Profile) -> list[Operation]:
    return [o for o in profile.operations if o.write and o.kind == "create" and o.status]


def _has_create(profile: Profile) -> str | None:
    return None if _creates(profile) else "the profile documents no create operation"


def _first_value(ctx: CheckContext, name: str) -> Any:
    """A value for a body placeholder: the field of the first record of some collection."""
    for op in ctx.profile.operations:
        if not (read_operations(op) and op.kind == "list"):
            continue
        key = f"first-record:{op.id}"
        if key not in ctx.cache:
            exchange = call(ctx, op)
            items = items_of(ctx, exchange.json()) if exchange.status < 300 else None
            ctx.cache[key] = items[0] if items else None
        record = ctx.cache[key]
        if isinstance(record, Mapping) and name in record:
            return record[name]
    return None


def create_request(ctx: CheckContext) -> tuple[Operation, Any]:
    """The create with the fewest placeholders, and its body with them filled from records."""
    ops = sorted(_creates(ctx.profile), key=lambda o: len(_PLACEHOLDER.findall(str(o.body))))
    for op in ops:
        names = set(_PLACEHOLDER.findall(json.dumps(dict(op.body))))
        values = {n: _first_value(ctx, n) for n in names}
        if all(v is not None for v in values.values()):
            return op, render(dict(op.body), {k: str(v) for k, v in values.items()})
    ctx.skip("no create operation has a body the harness can fill from existing records")


@check("transport.create-status", concern="transport", applies=_has_create, needs=("writes",))
def create_status(ctx: CheckContext) -> None:
    """A successful create answers its documented status (e.g. 201)."""
    op, body = create_request(ctx)
    exchange = call(ctx, op, body=body)
    if exchange.status >= 400:
        ctx.skip(f"{describe(exchange)}: the create was refused, so no success status to see")
    if exchange.status != op.status:
        ctx.finding(
            f"{op.id} answered {exchange.status}",
            f"{describe(exchange)}: a successful create answers {op.status} per the document",
            exchange,
        )


def _request_type(profile: Profile) -> str | None:
    if profile.request_content_type and _creates(profile):
        return None
    return "the document requires no request Content-Type for a documented create"


@check(
    "transport.request-content-type",
    concern="transport",
    applies=_request_type,
    needs=("writes",),
)
def request_content_type(ctx: CheckContext) -> None:
    """A write whose body is not declared as the documented request media type is refused."""
    op, body = create_request(ctx)
    wanted = str(ctx.profile.request_content_type)
    methods = ctx.profile.features.get("request_headers", {}).get("content_type_methods")
    if methods and op.method not in methods:
        ctx.skip(f"the document requires {wanted} on {methods}, not on {op.method}")
    if ctx.profile.auth[0].kind == "body":
        ctx.skip("the credential travels in the JSON body: the auth flow re-sends it as JSON")
    exchange = ctx.client.request(
        op.method,
        op.path,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "text/plain"},
        operation=f"{op.id}.text-plain",
        write=True,
    )
    accepted = {400} if ctx.strict else {400, 415, 422}
    if exchange.status in accepted:
        return
    outcome = "accepted" if exchange.status < 400 else f"refused with {exchange.status}"
    ctx.finding(
        f"write without {wanted} {outcome}",
        f"{describe(exchange)}: a {op.method} whose JSON body is declared text/plain was "
        f"{outcome}; the document requires Content-Type {wanted} (bad input: 400"
        f"{'' if ctx.strict else ', or 415/422 leniently'})",
        exchange,
    )
