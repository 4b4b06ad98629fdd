"""What the envelope and transport checks share: the sample answers "every response"
clauses are checked on, and how their findings list the offending answers.

The samples are memoized per target session, so a run sends each request once whatever
checks ask for it:

- :func:`token_grant`: the documented token grant, sent with the target's credentials;
- :func:`error_samples`: two cheap read-only error answers (no credentials; an unknown path);
- :func:`samples`: a success of the main read, the grant and the error samples.

:data:`ENVELOPE` (the typed ``[features.envelope]`` table) is re-exported from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from harness.auth import render
from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import (
    call,
    describe,
    fetch_object,
    fetch_operation,
    main_read,
    public_note,
)
from harness.checks.envelope._features import ENVELOPE, SERVICE_ROOT, Envelope, ServiceRoot
from harness.client import Exchange

__all__ = [
    "ENVELOPE",
    "SERVICE_ROOT",
    "UNKNOWN_PATH",
    "Envelope",
    "Problems",
    "ServiceRoot",
    "error_samples",
    "json_objects",
    "report",
    "samples",
    "token_grant",
]

UNKNOWN_PATH = "/harness-no-such-resource"
Problems = list[tuple[Exchange, str]]


@memoized
def token_grant(ctx: CheckContext) -> Exchange | None:
    """The documented token grant with the target's credentials (None without a token flow).

    Sent without any auth flow, so its answer is seen as the vendor gives it.
    """
    flow = ctx.profile.token
    if flow is None:
        return None
    grant = flow.grant
    body = render(dict(grant.body), dict(ctx.target.credentials)) if grant.body else None
    return ctx.client.request(
        grant.method, grant.path, json=body, auth=None, operation="token.grant", write=False
    )


@memoized
def error_samples(ctx: CheckContext) -> tuple[Exchange, ...]:
    """Two read-only error answers: the main read without credentials, and an unknown path."""
    main = main_read(ctx.profile)
    unauthenticated = call(ctx, main, auth=None)
    probe = replace(main, id="probe.unknown-path", path=UNKNOWN_PATH, paged=False)
    unknown = call(ctx, probe)
    return unauthenticated, unknown


def samples(ctx: CheckContext, *, errors: bool = True) -> list[Exchange]:
    """A success of the main read and of every other read of the inventory, the token
    grant (if any) and, with ``errors``, the error samples: the responses "every
    response" clauses are checked on (a rule broken on one endpoint only is seen)."""
    main = main_read(ctx.profile)
    found = [fetch_operation(ctx, main)]
    for op in ctx.profile.operations:
        if op.reads and op is not main:
            read = fetch_object(ctx, op)
            if read is not None and read.status < 300:
                found.append(read)
    grant = token_grant(ctx)
    if grant is not None:
        found.append(grant)
    if errors:
        found += error_samples(ctx)
    return found


def json_objects(exchanges: list[Exchange]) -> list[tuple[Exchange, Mapping[str, Any]]]:
    """The answers whose body is a JSON object (others are for the JSON and shape checks)."""
    return [(x, x.json()) for x in exchanges if isinstance(x.json(), Mapping)]


def report(ctx: CheckContext, title: str, problems: Problems) -> None:
    """One finding listing every offending answer and why (nothing when there is none)."""
    if problems:
        ctx.finding(
            title,
            "; ".join(f"{describe(x)}: {why}" for x, why in problems) + public_note(ctx),
            *[x for x, _ in problems],
        )
