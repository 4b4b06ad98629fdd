"""Documented credentials are accepted: a read sent with each documented auth scheme and
the target's credentials for it is served.

Each finding names the refused scheme's id as its aspect, so a vendor whose document has
one clause per scheme links ``auth.schemes-accepted:<scheme id>`` to each clause; a bare
link takes every scheme not linked explicitly.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.auth._common import effective_status, probe, refused_schemes, succeeded
from harness.profiles import AuthScheme, Profile


def _judged_schemes(profile: Profile, optional: bool) -> list[AuthScheme]:
    """Documented schemes whose credentials must be accepted (required or optional ones);
    an assumed scheme is only tried as the alternative reading of an ambiguity."""
    refused = {s.id for s in refused_schemes(profile)}
    return [
        s
        for s in profile.auth
        if s.id not in refused and s.optional == optional and s.source != "assumed"
    ]


def _required_ids(profile: Profile) -> tuple[str, ...]:
    """The aspects of ``auth.schemes-accepted``: the ids of the required schemes it judges."""
    return tuple(s.id for s in _judged_schemes(profile, False))


def _optional_ids(profile: Profile) -> tuple[str, ...]:
    """The aspects of ``auth.optional-schemes-accepted``: the optional schemes' ids."""
    return tuple(s.id for s in _judged_schemes(profile, True))


def _lenient_alternative(ctx: CheckContext, scheme: AuthScheme) -> bool:
    """Lenient, for a scheme whose clause has an ambiguity: another scheme with the same
    credentials (another reading of how to send them) is accepted."""
    linked = ctx.session.routing.route(ctx.check, (scheme.id,))
    if ctx.strict or not any(c.ambiguity is not None for c in linked):
        return False
    for other in ctx.profile.auth:
        if other is scheme or set(other.credentials) != set(scheme.credentials):
            continue
        if succeeded(ctx, probe(ctx, other.id)):
            return True
    return False


def _accepted(ctx: CheckContext, schemes: list[AuthScheme]) -> None:
    """Probe each scheme the target has credentials for; skip when it has none."""
    usable = [s for s in schemes if ctx.client.has_credentials(s)]
    if not usable:
        names = ", ".join(s.id for s in schemes)
        ctx.skip(f"the target gives no credentials for the scheme(s) {names}")
    untried = [s.id for s in schemes if s not in usable]
    for scheme in usable:
        exchange = probe(ctx, scheme.id)
        if succeeded(ctx, exchange):
            continue
        if _lenient_alternative(ctx, scheme):
            continue
        source = " (a public-facts scheme)" if scheme.source == "public-facts" else ""
        ctx.finding(
            f"valid credentials refused with scheme {scheme.id}",
            f"a read sent with the {scheme.kind} scheme {scheme.id}{source} answered "
            f"{effective_status(ctx, exchange)}, although the target's credentials for it "
            "are valid"
            + (f"; not tried for lack of credentials: {', '.join(untried)}" if untried else ""),
            exchange,
            aspect=scheme.id,
        )


def _has_required(profile: Profile) -> str | None:
    return None if _judged_schemes(profile, False) else "every documented scheme is optional"


def _has_optional(profile: Profile) -> str | None:
    return None if _judged_schemes(profile, True) else "the profile documents no optional scheme"


@check(
    "auth.schemes-accepted",
    concern="auth",
    applies=_has_required,
    health=True,
    aspects=_required_ids,
)
def schemes_accepted(ctx: CheckContext) -> None:
    """Every documented required auth scheme is accepted on a read with the target's
    credentials."""
    _accepted(ctx, _judged_schemes(ctx.profile, False))


@check(
    "auth.optional-schemes-accepted",
    concern="auth",
    applies=_has_optional,
    aspects=_optional_ids,
)
def optional_schemes_accepted(ctx: CheckContext) -> None:
    """Every documented optional auth scheme the target gives credentials for (another
    user's login, a read-only key, a restricted token) is accepted on a read."""
    _accepted(ctx, _judged_schemes(ctx.profile, True))
