"""The token grant: the documented grant call, with the target's credentials, answers
its documented status with the access (and refresh) token where the document puts them,
and a payload that matches its schema.
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.auth._common import succeeded
from harness.checks.token._common import grant, has_token


@check("token.grant", concern="token", applies=has_token, health=True)
def grant_fields(ctx: CheckContext) -> None:
    """The documented grant answers its documented status with the token fields."""
    flow = ctx.profile.token
    assert flow is not None
    g = flow.grant
    got = grant(ctx)
    exchange = got.exchange
    if g.status is not None and exchange.status != g.status:
        ctx.finding(
            f"grant answered {exchange.status}",
            f"{g.method} {g.path} with valid credentials should answer {g.status}",
            exchange,
        )
        return
    if got.access is None:
        elsewhere = _find_key(exchange.json(), (g.access_token or "").rsplit("/", 1)[-1])
        if elsewhere is not None:
            ctx.skip(
                f"the token is at {elsewhere or '(root)'}, not at {g.access_token}: the "
                "envelope around the payload is judged by the envelope checks"
            )
        ctx.finding(
            "grant without an access token",
            f"{g.method} {g.path} gave no access token at {g.access_token}",
            exchange,
        )
        return
    if g.refresh_token and got.refresh is None:
        ctx.finding(
            "grant without a refresh token",
            f"{g.method} {g.path} gave no refresh token at {g.refresh_token}",
            exchange,
        )
    if not succeeded(ctx, exchange):
        ctx.finding(
            "grant answered an error envelope",
            f"{g.method} {g.path} answered an error envelope beside its token",
            exchange,
        )
    if g.schema:
        # Only the token payload: the envelope around it is judged by envelope checks.
        parent = (g.access_token or "").rsplit("/", 1)[0]
        bad = [
            v
            for v in ctx.validate(g.schema, exchange.json())
            if parent and (v.pointer == parent or v.pointer.startswith(parent + "/"))
        ]
        if bad:
            ctx.finding(
                "grant payload breaks its schema",
                "; ".join(str(v) for v in bad[:5]),
                exchange,
            )


def _find_key(document: Any, key: str, pointer: str = "", depth: int = 0) -> str | None:
    """The pointer of the first object (depth-first, bounded) that holds ``key``."""
    if not key or depth > 6:
        return None
    if isinstance(document, dict):
        if isinstance(document.get(key), str):
            return f"{pointer}/{key}"
        for name, value in document.items():
            found = _find_key(value, key, f"{pointer}/{name}", depth + 1)
            if found is not None:
                return found
    return None
