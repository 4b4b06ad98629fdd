"""How the API is reached: HTTPS only, a TLS certificate valid for the host, and the
versioned base URL."""

from __future__ import annotations

import re
import socket
import ssl
from urllib.parse import urlsplit

import httpx

from harness.checks._context import CheckContext
from harness.checks._ops import describe, fetch_operation, main_read
from harness.checks._registry import check
from harness.errors import TargetUnreachable
from harness.profiles import Profile

__all__: list[str] = []


def _https_only(profile: Profile) -> str | None:
    return None if profile.https_only else "the vendor does not require HTTPS"


def _redirect_allowed(ctx: CheckContext) -> bool:
    """Lenient: a redirect to https that serves no data is fine. Strict: not where a linked
    clause's strict reading refuses plain HTTP outright (a reading other than a redirect)."""
    if not ctx.strict:
        return True
    for clause in ctx.clauses:
        amb = clause.ambiguity
        if amb and "redirect" in amb.readings and amb.strict != "redirect":
            return False
    return True


@check("transport.https-only", concern="transport", applies=_https_only, health=True)
def https_only(ctx: CheckContext) -> None:
    """Plain HTTP to the API never serves data: refused, or (leniently) redirected to HTTPS."""
    main = main_read(ctx.profile)
    plain = ctx.client.url(main.path).replace("https://", "http://", 1)
    if not plain.startswith("http://"):
        ctx.skip(f"the target base URL {ctx.target.base_url} is not https://")
    ctx.client.sent += 1  # one request of the budget, sent outside the client (no credentials)
    try:
        with httpx.Client(
            timeout=ctx.target.transport.timeout_seconds, proxy=ctx.target.transport.proxy
        ) as http:
            response = http.request(main.method, plain)
    except httpx.HTTPError:
        return  # refused, reset or not spoken: that is what HTTPS-only means
    shown = ctx.client.redactor.url(plain)
    location = response.headers.get("location", "")
    if response.is_redirect:
        if not location.startswith("https://"):
            ctx.finding(
                "plain HTTP redirected to plain HTTP",
                f"{main.method} {shown} answered {response.status_code} with Location "
                f"{location!r}, not an https:// URL",
                note="sent without credentials, outside the recorded client",
            )
        elif not _redirect_allowed(ctx):
            ctx.finding(
                "plain HTTP answered with a redirect",
                f"{main.method} {shown} answered {response.status_code} to {location!r}; "
                "the strict reading refuses plain HTTP outright",
                note="sent without credentials, outside the recorded client",
            )
        return
    if 200 <= response.status_code < 300 and response.content.strip():
        ctx.finding(
            "plain HTTP answered with data",
            f"{main.method} {shown} answered {response.status_code} with "
            f"{len(response.content)} bytes instead of refusing plain HTTP",
            note="sent without credentials, outside the recorded client",
        )


def _tls_target(profile: Profile) -> str | None:
    return None if urlsplit(profile.base_url).scheme == "https" else "the API is not on https"


@check("transport.certificate", concern="transport", applies=_tls_target)
def certificate(ctx: CheckContext) -> None:
    """The server's TLS certificate verifies for the API's host name."""
    url = urlsplit(ctx.target.base_url)
    if url.scheme != "https" or not url.hostname:
        ctx.skip(f"the target base URL {ctx.target.base_url} is not https://")
    if ctx.target.transport.proxy:
        ctx.skip("the target goes through a proxy: the server certificate is not seen directly")
    host, port = url.hostname, url.port or 443
    context = ssl.create_default_context(
        cafile=str(ctx.target.ca_bundle) if ctx.target.ca_bundle else None
    )
    ctx.client.sent += 1  # one TLS handshake of the budget, outside the client
    try:
        with (
            socket.create_connection((host, port), ctx.target.transport.timeout_seconds) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return
    except ssl.SSLCertVerificationError as exc:
        ctx.finding(
            "certificate does not verify for the host",
            f"the TLS certificate presented by {host}:{port} does not verify for {host}: "
            f"{exc.verify_message or exc}",
            note="a TLS handshake only, no HTTP request",
        )
    except (OSError, ssl.SSLError) as exc:
        raise TargetUnreachable(
            f"{ctx.target.name}: TLS handshake with {host}:{port} failed: {exc}"
        ) from exc


_VERSION = re.compile(r"^v[0-9]+$")


def _version_segment(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    return parts[0] if parts and _VERSION.match(parts[0]) else None


def _versioned(profile: Profile) -> str | None:
    if _version_segment(urlsplit(profile.base_url).path):
        return None
    return "the documented base URL has no version path segment"


@check("transport.versioned-base", concern="transport", applies=_versioned)
def versioned_base(ctx: CheckContext) -> None:
    """The API is served under the documented version segment of the base URL (e.g. /v1)."""
    documented = _version_segment(urlsplit(ctx.profile.base_url).path)
    target = urlsplit(ctx.target.base_url)
    if _version_segment(target.path) != documented:
        ctx.skip(
            f"the target base URL {ctx.target.base_url} does not start with the documented "
            f"version segment /{documented}"
        )
    exchange = fetch_operation(ctx, main_read(ctx.profile))
    if exchange.status == 404 or 300 <= exchange.status < 400:
        ctx.finding(
            f"nothing served under /{documented}",
            f"{describe(exchange)}: the main collection is not served under the documented "
            f"base /{documented}",
            exchange,
        )
