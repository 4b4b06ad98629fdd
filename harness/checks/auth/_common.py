"""What the auth and token checks share: probes sent with chosen credentials (or exactly
one given token), what a refusal must look like, and which schemes the document treats
specially.

Every probe goes to a read operation of the profile (the main collection), so a probe is
one cheap read; nothing here registers a check. The token package imports these too.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from harness.auth import ProfileAuth, TokenState, render
from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of, read_operations
from harness.checks.auth._features import ACCESS_LEVEL, KEY_TIERS
from harness.checks.envelope._features import ENVELOPE
from harness.client import Exchange
from harness.profiles import AuthScheme, Operation, Profile

__all__ = [
    "Expectation",
    "basic_header",
    "body_with",
    "carries_data",
    "credential_auth",
    "effective_status",
    "expectation",
    "fixed_token_auth",
    "mutate",
    "probe",
    "probe_operation",
    "read_only_schemes",
    "refused_schemes",
    "secret_credentials",
    "session_token",
    "succeeded",
]

# What the well-known reading names of an auth ambiguity allow (None: any 4xx refusal).
_READING_STATUSES: dict[str, frozenset[int] | None] = {
    "unauthorized": frozenset({401}),
    "forbidden": frozenset({403}),
    "any-refusal": None,
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


# ----------------------------------------------------------------------------- probes
def probe_operation(ctx: CheckContext) -> Operation:
    """The read every auth probe sends: the main collection (or the first read)."""
    main = ctx.profile.main_operation
    if read_operations(main):
        return main
    return next(o for o in ctx.profile.operations if read_operations(o))


def _body_token_fields(profile: Profile) -> set[str]:
    return {s.name or "access_token" for s in profile.auth if s.kind == "body"}


def body_with(ctx: CheckContext, op: Operation, extra: Mapping[str, Any] | None) -> Any:
    """The operation's documented body without any credential field (plus ``extra``)."""
    if not op.body and not extra:
        return None
    body: dict[str, Any] = render(dict(op.body), _Blank()) if op.body else {}
    for name in _body_token_fields(ctx.profile):
        body.pop(name, None)
    body.update(extra or {})
    return body


def probe(
    ctx: CheckContext,
    auth: Any,
    *,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, Any] | None = None,
    body: Mapping[str, Any] | None = None,
    op: Operation | None = None,
) -> Exchange:
    """Send the probe read with ``auth`` (a scheme id, an httpx.Auth, or None for none)."""
    op = op or probe_operation(ctx)
    return call(ctx, op, body=body_with(ctx, op, body), auth=auth, headers=headers, params=params)


def _envelope_error_code(ctx: CheckContext, exchange: Exchange) -> int | None:
    """The code of an error envelope served with a 2xx status (a documented envelope with
    a status field, an error value and a code field), else None."""
    body = exchange.json()
    env = ENVELOPE.read(ctx.profile)
    if not isinstance(body, Mapping) or env is None:
        return None
    if not (env.status_field and env.error and env.code_field):
        return None
    if body.get(env.status_field) != env.error:
        return None
    code = body.get(env.code_field)
    try:
        return int(code) if code is not None else 400
    except (TypeError, ValueError):
        return 400


def effective_status(ctx: CheckContext, exchange: Exchange) -> int:
    """The HTTP status; for a 2xx carrying an error envelope, the envelope's code (whether
    the HTTP status should mirror it is an envelope clause, not an auth one)."""
    if 200 <= exchange.status < 300:
        code = _envelope_error_code(ctx, exchange)
        if code is not None:
            return code
    return exchange.status


def succeeded(ctx: CheckContext, exchange: Exchange) -> bool:
    return 200 <= effective_status(ctx, exchange) < 300


def carries_data(ctx: CheckContext, op: Operation, exchange: Exchange) -> bool:
    """A refusal that still serves records of the probed collection."""
    if op.kind != "list":
        return False
    items = items_of(ctx, exchange.json())
    return bool(items)


# ----------------------------------------------------------------------- expectations
@dataclass(frozen=True)
class Expectation:
    """Which refusal statuses satisfy a clause (None: any 4xx)."""

    statuses: frozenset[int] | None
    reading: str

    def accepts(self, status: int) -> bool:
        if self.statuses is None:
            return 400 <= status < 500
        return status in self.statuses

    @property
    def text(self) -> str:
        if self.statuses is None:
            return "a 4xx refusal"
        return " or ".join(str(s) for s in sorted(self.statuses))


def expectation(ctx: CheckContext, documented: Iterable[int]) -> Expectation:
    """The refusal statuses to accept: the documented ones, or, for a linked clause with an
    ambiguity about the status, every reading (lenient) or the strict reading (strict)."""
    for clause in ctx.clauses:
        amb = clause.ambiguity
        if amb is None or not any(n in _READING_STATUSES for n in amb.readings):
            continue
        if ctx.strict:
            if amb.strict in _READING_STATUSES:
                reading = f"the strict reading '{amb.strict}' of {clause.id}"
                return Expectation(_READING_STATUSES[amb.strict], reading)
            continue
        union: set[int] = set()
        for name in amb.readings:
            if name not in _READING_STATUSES:
                continue
            statuses = _READING_STATUSES[name]
            if statuses is None:
                return Expectation(None, f"lenient: any reading of {clause.id}")
            union |= statuses
        return Expectation(frozenset(union), f"lenient: any reading of {clause.id}")
    return Expectation(frozenset(documented), "documented")


# -------------------------------------------------------------------------- schemes
def refused_schemes(profile: Profile) -> tuple[AuthScheme, ...]:
    """Schemes whose credentials the document says are refused (e.g. a user of a lower
    access level): ``[features.access_level] optional_credentials`` names them."""
    level = ACCESS_LEVEL.read(profile)
    names = set(level.optional_credentials) if level else set()
    return tuple(s for s in profile.auth if names & set(s.credentials))


def read_only_schemes(profile: Profile) -> tuple[AuthScheme, ...]:
    """Schemes using the credential ``[features.key_tiers] read_only_credential`` names."""
    tiers = KEY_TIERS.read(profile)
    names = {tiers.read_only_credential} if tiers and tiers.read_only_credential else set()
    return tuple(s for s in profile.auth if names & set(s.credentials))


def secret_credentials(scheme: AuthScheme) -> tuple[str, ...]:
    """The credentials that prove identity: those in a Basic password, else all."""
    if scheme.kind == "basic" and scheme.password:
        named = tuple(c for c in scheme.credentials if "{" + c + "}" in scheme.password)
        if named:
            return named
    return scheme.credentials


def mutate(value: str) -> str:
    """The same value with one character in its middle changed (same character class),
    so it keeps its shape (prefix, length, JWT segments) but names nothing."""
    if not value:
        return "harness-unknown"
    chars = list(value)
    for offset in range(len(chars)):
        i = (len(chars) // 2 + offset) % len(chars)
        c = chars[i]
        if c.isdigit():
            chars[i] = str((int(c) + 1) % 10)
        elif "a" <= c <= "z":
            chars[i] = "a" if c == "z" else chr(ord(c) + 1)
        elif "A" <= c <= "Z":
            chars[i] = "A" if c == "Z" else chr(ord(c) + 1)
        else:
            continue
        return "".join(chars)
    return value + "0"


def credential_auth(
    ctx: CheckContext, scheme: AuthScheme, overrides: Mapping[str, str]
) -> ProfileAuth:
    """A flow of a credential scheme with some credentials replaced."""
    return ProfileAuth(
        ctx.profile,
        {**ctx.target.credentials, **overrides},
        ctx.target.base_url,
        scheme=scheme,
        now=ctx.client.clock.now,
    )


def basic_header(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --------------------------------------------------------------------------- tokens
def fixed_token_auth(
    ctx: CheckContext, token: str, scheme: AuthScheme | None = None
) -> ProfileAuth:
    """Apply exactly this access token the way a token scheme does: never granted,
    renewed or retried, so a refusal reaches the check."""
    scheme = scheme or ctx.profile.auth[0]
    return ProfileAuth(
        ctx.profile,
        ctx.target.credentials,
        ctx.target.base_url,
        scheme=replace(scheme, from_token=False),
        now=ctx.client.clock.now,
        token=TokenState(access_token=token),
    )


def session_token(ctx: CheckContext) -> str:
    """The session's current access token (a probe obtains one when there is none)."""
    state = ctx.client.token
    if state.access_token is None:
        probe(ctx, "default")
    if state.access_token is None:
        ctx.skip("the session obtained no access token to derive probes from")
    return state.access_token
