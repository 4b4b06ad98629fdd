"""The token verification call: it accepts the session's valid token and refuses a
request without a token, or with an unknown one, with the documented status.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.auth._common import (
    effective_status,
    expectation,
    fixed_token_auth,
    mutate,
    session_token,
    succeeded,
)
from harness.profiles import Profile


def _has_verify(profile: Profile) -> str | None:
    if profile.token is None or profile.token.verify is None:
        return "the profile documents no token verification call"
    return None


@check("token.verify", concern="token", applies=_has_verify)
def verify(ctx: CheckContext) -> None:
    """The verification call accepts a valid token and refuses a missing or unknown one."""
    flow = ctx.profile.token
    assert flow is not None and flow.verify is not None
    v = flow.verify
    good = ctx.client.request(v.method, v.path, auth="default", write=False)
    if not succeeded(ctx, good) or (v.status is not None and good.status != v.status):
        ctx.finding(
            f"valid token answered {good.status}",
            f"{v.method} {v.path} with the session's valid token should answer {v.status or '2xx'}",
            good,
        )
    expected = expectation(ctx, (flow.expired_status,))
    unknown = fixed_token_auth(ctx, mutate(session_token(ctx)))
    for label, auth in (("no token", None), ("an unknown token", unknown)):
        exchange = ctx.client.request(v.method, v.path, auth=auth, write=False)
        status = effective_status(ctx, exchange)
        if not expected.accepts(status):
            ctx.finding(
                f"{label} answered {status}",
                f"{v.method} {v.path} with {label} should answer {expected.text}",
                exchange,
            )
