"""Transport checks: HTTPS only, certificates verified, documented content type and charset."""

from __future__ import annotations

import httpx

from harness.checks._context import CheckContext
from harness.checks._ops import read_operations
from harness.checks._registry import check
from harness.checks.envelope import fetch_operation
from harness.client import Exchange
from harness.profiles import Profile


def _https_only(profile: Profile) -> str | None:
    return None if profile.https_only else "the vendor does not require HTTPS"


@check("transport.https-only", concern="transport", applies=_https_only, health=True)
def https_only(ctx: CheckContext) -> None:
    """Plain HTTP to the API never serves data: refused, or redirected to HTTPS."""
    main = ctx.profile.main_operation
    plain = ctx.client.url(main.path).replace("https://", "http://", 1)
    ctx.client.sent += 1  # one request of the budget, sent outside the client
    try:
        with httpx.Client(timeout=ctx.target.transport.timeout_seconds) as http:
            response = http.request(main.method, plain)
    except httpx.HTTPError:
        return  # refused, reset or not spoken: that is what HTTPS-only means
    location = response.headers.get("location", "")
    if response.is_redirect and location.startswith("https://"):
        return
    if response.status_code >= 400 and len(response.content) < 4096:
        return  # an error without data
    ctx.finding(
        "plain HTTP answered",
        f"{main.method} {ctx.client.redactor.url(plain)} answered {response.status_code} "
        f"with {len(response.content)} bytes instead of refusing or redirecting to HTTPS",
    )


def _first_read(ctx: CheckContext) -> Exchange:
    op = next((o for o in ctx.profile.operations if o.main), None)
    if op is None or not read_operations(op):
        op = next(o for o in ctx.profile.operations if read_operations(o))
    return fetch_operation(ctx, op)


@check("transport.content-type", concern="transport", health=True)
def content_type(ctx: CheckContext) -> None:
    """Responses carry the documented media type (and charset, where documented)."""
    exchange = _first_read(ctx)
    header = exchange.headers.get("content-type", "")
    media, _, params = header.partition(";")
    if media.strip().lower() != ctx.profile.content_type:
        ctx.finding(
            "wrong media type",
            f"Content-Type is {header!r}, the document says {ctx.profile.content_type}",
            exchange,
        )
    charset = ctx.profile.charset
    if charset:
        found = ""
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset":
                found = value.strip().strip('"').lower()
        if found != charset.lower():
            ctx.finding(
                "wrong or missing charset",
                f"Content-Type is {header!r}; the document says charset={charset}",
                exchange,
            )
