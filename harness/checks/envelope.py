"""Envelope checks: documented success statuses and the service root; the shared samples.

Helpers the envelope and transport checks share (cached in ``ctx.cache``, so a run sends
each request once whatever checks ask for it):

- :func:`fetch_operation`: a read operation with concrete ids;
- :func:`main_read`: the profile's main read operation;
- :func:`token_grant`: the documented token grant, sent with the target's credentials;
- :func:`error_samples`: two cheap read-only error answers (no credentials; an unknown path);
- :func:`samples`: a success, the grant and the error samples, for "every response" clauses;
- :func:`public_note`: the sentence a finding adds when its clause is only public-facts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._ops import (
    call,
    fetch_operation,
    main_read,
    public_note,
    read_operations,
)
from harness.checks._registry import check
from harness.client import Exchange
from harness.profiles import Profile

__all__ = [
    "error_samples",
    "fetch_operation",
    "main_read",
    "public_note",
    "samples",
    "token_grant",
]

UNKNOWN_PATH = "/harness-no-such-resource"


def token_grant(ctx: CheckContext) -> Exchange | None:
    """The documented token grant with the target's credentials (None without a token flow).

    Sent without any auth flow, so its answer is seen as the vendor gives it.
    """
    flow = ctx.profile.token
    if flow is None:
        return None
    key = "samples:token-grant"
    if key not in ctx.cache:
        grant = flow.grant
        body = render(dict(grant.body), dict(ctx.target.credentials)) if grant.body else None
        ctx.cache[key] = ctx.client.request(
            grant.method, grant.path, json=body, auth=None, operation="token.grant", write=False
        )
    found: Exchange = ctx.cache[key]
    return found


def error_samples(ctx: CheckContext) -> list[Exchange]:
    """Two read-only error answers: the main read without credentials, and an unknown path."""
    key = "samples:errors"
    if key not in ctx.cache:
        main = main_read(ctx.profile)
        unauthenticated = call(ctx, main, auth=None)
        probe = replace(main, id="probe.unknown-path", path=UNKNOWN_PATH, paged=False)
        unknown = call(ctx, probe)
        ctx.cache[key] = [unauthenticated, unknown]
    found: list[Exchange] = ctx.cache[key]
    return list(found)


def samples(ctx: CheckContext, *, errors: bool = True) -> list[Exchange]:
    """A success of the main read, the token grant (if any) and, with ``errors``, the
    error samples: the responses "every response" clauses are checked on."""
    found = [fetch_operation(ctx, main_read(ctx.profile))]
    grant = token_grant(ctx)
    if grant is not None:
        found.append(grant)
    if errors:
        found += error_samples(ctx)
    return found


# ---------------------------------------------------------------- checks


@check("envelope.success-status", concern="envelope", per_operation=read_operations, health=True)
def success_status(ctx: CheckContext) -> None:
    """A documented read that succeeds answers its documented success status (200 unless said)."""
    op = ctx.operation
    assert op is not None
    exchange = fetch_operation(ctx, op)
    expected = op.status or 200
    if exchange.status == expected:
        return
    if exchange.status >= 400:
        ctx.skip(
            f"{op.method} {op.path} failed with {exchange.status}: not a successful read, so "
            "its success status cannot be observed (error and auth checks cover failures)"
        )
    ctx.finding(
        f"{op.id} answered {exchange.status}",
        f"{op.method} {op.path} succeeded with {exchange.status}; the document says a "
        f"successful read answers {expected}",
        exchange,
    )


def _has_service_root(profile: Profile) -> str | None:
    if "service_root" in profile.features:
        return None
    return "the document describes no service root answer"


@check("envelope.service-root", concern="envelope", applies=_has_service_root)
def service_root(ctx: CheckContext) -> None:
    """GET on the service URL answers the documented status and body (e.g. 200 with {})."""
    feature = ctx.profile.features["service_root"]
    path = str(feature.get("path", "/"))
    op = next((o for o in ctx.profile.operations if o.path == path and read_operations(o)), None)
    if op is not None:
        exchange = fetch_operation(ctx, op)
    else:
        exchange = ctx.client.request("GET", path, operation="service-root")
    status = int(feature.get("status", 200))
    if exchange.status != status:
        ctx.finding(
            f"service root answered {exchange.status}",
            f"GET on the service URL should answer {status}, got {exchange.status}",
            exchange,
        )
        return
    expected: Any = feature.get("body")
    if expected is not None and (not exchange.is_json or exchange.json() != expected):
        ctx.finding(
            "service root body differs",
            f"GET on the service URL should answer the JSON body {expected!r}; got "
            f"{exchange.content[:200]!r}",
            exchange,
        )
        return
    length = feature.get("content_length")
    declared = exchange.headers.get("content-length")
    if ctx.strict and length is not None and declared is not None and declared != str(length):
        ctx.finding(
            "service root Content-Length differs",
            f"the document shows Content-Length: {length} (strict mode); got {declared}",
            exchange,
        )
