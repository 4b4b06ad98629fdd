"""The user's own record shows their API credential: where the document says a record
(such as ``/me``) includes the API token when read with another scheme (email and
password), it does.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.auth._common import succeeded
from harness.checks.auth._features import ME_API_TOKEN, CredentialRecord
from harness.profiles import Profile


def _me_feature(profile: Profile) -> CredentialRecord | None:
    """The documented record that shows one of the user's own credentials
    (``[features.me_api_token]``: ``path``, ``field``)."""
    names = {c for s in profile.auth for c in s.credentials}
    record = ME_API_TOKEN.read(profile)
    return record if record is not None and record.field in names else None


def _has_me(profile: Profile) -> str | None:
    return None if _me_feature(profile) else "no documented record shows an API credential"


@check("auth.me-shows-token", concern="auth", applies=_has_me)
def me_shows_token(ctx: CheckContext) -> None:
    """Authenticated with a scheme that does not use it, the user's own record includes the
    API credential (as the document says when authenticating with email and password)."""
    feature = _me_feature(ctx.profile)
    assert feature is not None
    field, path = feature.field, feature.path
    schemes = [s for s in ctx.profile.auth if field not in s.credentials]
    usable = [s for s in schemes if ctx.client.has_credentials(s)]
    if not usable:
        names = ", ".join(s.id for s in schemes) or "none"
        ctx.skip(f"the target gives no credentials for a scheme without {field} ({names})")
    scheme = usable[0]
    exchange = ctx.client.request("GET", path, auth=scheme.id)
    if not succeeded(ctx, exchange):
        ctx.finding(
            f"{path} refused",
            f"GET {path} with scheme {scheme.id} answered {exchange.status}",
            exchange,
        )
        return
    body = exchange.json()
    value = body.get(field) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        ctx.finding(
            f"{path} lacks {field}",
            f"GET {path} authenticated with scheme {scheme.id} does not include the user's "
            f"{field} ({'found ' + repr(type(value).__name__) if value is not None else 'absent'})",
            exchange,
        )
