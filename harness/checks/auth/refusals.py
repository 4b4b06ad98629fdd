"""Refusals: a read without credentials, with credentials of the right shape that name
nothing, or with malformed credentials (or the right secret under the wrong scheme) is
refused with the documented status, without data, and with the documented error body.

Each probe is one read of the profile's main collection, sent with the credentials under
test; the session's own credentials and token are never changed here.
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._registry import check
from harness.checks.auth._common import (
    basic_header,
    carries_data,
    credential_auth,
    effective_status,
    expectation,
    fixed_token_auth,
    mutate,
    probe,
    probe_operation,
    secret_credentials,
    session_token,
)
from harness.client import Exchange
from harness.profiles import AuthScheme, Profile

MALFORMED = "###not-a-credential###"


@memoized
def no_credentials(ctx: CheckContext) -> Exchange:
    """The probe read sent without any credentials (once per session, for the checks that
    judge it)."""
    return probe(ctx, None)


def _judge_refusal(ctx: CheckContext, label: str, exchange: Exchange, documented: int) -> None:
    """A finding unless ``exchange`` is refused as the clause expects, without data."""
    expected = expectation(ctx, (documented,))
    status = effective_status(ctx, exchange)
    op = probe_operation(ctx)
    if 200 <= status < 300:
        ctx.finding(
            f"{label} was served",
            f"{op.method} {op.path} with {label} answered {status}; it must be refused "
            f"with {expected.text} ({expected.reading})",
            exchange,
        )
    elif not expected.accepts(status):
        ctx.finding(
            f"{label} refused with {status}",
            f"{op.method} {op.path} with {label} answered {status}, expected "
            f"{expected.text} ({expected.reading})",
            exchange,
        )
    elif carries_data(ctx, op, exchange):
        ctx.finding(
            f"refusal of {label} carries data",
            f"the {status} answer to {label} still lists records of {op.path}",
            exchange,
        )


def _has_401(profile: Profile) -> str | None:
    return None if 401 in profile.statuses else "the profile documents no 401 status"


@check("auth.missing-refused", concern="auth", applies=_has_401, health=True)
def missing_refused(ctx: CheckContext) -> None:
    """A read without any credentials is refused with the documented status and no data."""
    _judge_refusal(ctx, "no credentials", no_credentials(ctx), 401)


@check("auth.refusal-body", concern="auth", applies=_has_401)
def refusal_body(ctx: CheckContext) -> None:
    """The refusal of a read without credentials carries the documented error body."""
    exchange = no_credentials(ctx)
    status = effective_status(ctx, exchange)
    spec = ctx.profile.statuses.get(status)
    if status < 400 or spec is None or spec.schema is None:
        ctx.skip(f"the read without credentials answered {status}, which has no error schema")
    body = exchange.json()
    if not isinstance(body, dict):
        ctx.finding(
            "refusal body is not a JSON object",
            f"the {status} answer to a read without credentials is not a JSON object",
            exchange,
        )
        return
    # Only the documented keys' presence: their types and extra keys are error clauses.
    missing = [
        v.pointer
        for v in ctx.validate(spec.schema, body)
        if v.rule == "required" and v.pointer.count("/") == 1
    ]
    if missing:
        ctx.finding(
            "refusal body lacks documented keys",
            f"the {status} body lacks {', '.join(sorted(missing))} (per {spec.schema})",
            exchange,
        )


def _default(ctx: CheckContext) -> AuthScheme:
    return ctx.profile.auth[0]


@check("auth.wrong-credentials-refused", concern="auth", applies=_has_401)
def wrong_credentials_refused(ctx: CheckContext) -> None:
    """Credentials of the right shape that name nothing (a wrong key, token or password
    for a valid user) are refused with the documented status and no data."""
    scheme = _default(ctx)
    auth: Any
    if scheme.from_token:
        auth = fixed_token_auth(ctx, mutate(session_token(ctx)), scheme)
        label = "an unknown access token"
    else:
        names = secret_credentials(scheme)
        overrides = {n: mutate(ctx.target.credentials.get(n, "")) for n in names}
        auth = credential_auth(ctx, scheme, overrides)
        label = f"a wrong {', '.join(names)}"
    _judge_refusal(ctx, label, probe(ctx, auth), 401)


def _headers(name: str | None, value: str) -> dict[str, Any]:
    return {"headers": {name or "Authorization": value}}


def _malformed_probes(ctx: CheckContext) -> list[tuple[str, dict[str, Any]]]:
    """(label, probe arguments) for malformed credentials and a wrong scheme."""
    scheme = _default(ctx)
    if scheme.from_token:
        secret = session_token(ctx)
    else:
        secret = ctx.target.credentials.get(secret_credentials(scheme)[0], "")
    auth_header = "Authorization"
    probes: list[tuple[str, dict[str, Any]]] = []
    if scheme.kind == "basic":
        probes.append(("malformed Basic credentials", _headers(auth_header, f"Basic {MALFORMED}")))
        probes.append(("Bearer instead of Basic", _headers(auth_header, f"Bearer {secret}")))
    elif scheme.kind == "bearer":
        probes.append(("a malformed bearer token", _headers(auth_header, f"Bearer {MALFORMED}")))
        probes.append(("Basic instead of Bearer", _headers(auth_header, basic_header(secret))))
    elif scheme.kind == "header":
        probes.append(("a malformed credential header", _headers(scheme.name, MALFORMED)))
    elif scheme.kind == "query":
        probes.append(("an empty credential parameter", {"params": {scheme.name: ""}}))
    elif scheme.kind == "body":
        field = scheme.name or "access_token"
        probes.append((f"an empty {field} field", {"body": {field: ""}}))
        probes.append(
            (f"Basic instead of the {field} field", _headers(auth_header, basic_header(secret)))
        )
    return probes


@check("auth.malformed-refused", concern="auth", applies=_has_401)
def malformed_refused(ctx: CheckContext) -> None:
    """Malformed credentials, or the right secret under the wrong scheme, are refused with
    the documented status and no data."""
    for label, kwargs in _malformed_probes(ctx):
        _judge_refusal(ctx, label, probe(ctx, None, **kwargs), 401)
