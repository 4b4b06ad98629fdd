"""The API token reset: a documented call replaces the user's API token.

Resetting changes the target's credentials, so the check

- runs only against emulators (on a live target the token in the target file, or in the
  environment it is read from, would stop working for every later run);
- needs writes, and runs late (after the ordinary checks, before exhaustion);
- learns the new token from the answer, or from the record that shows it (read with a
  scheme that does not use the token), and hands it to the session's auth flows (and to
  the redactor), so the checks after it keep working.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.auth._common import (
    credential_auth,
    effective_status,
    probe,
    secret_credentials,
    succeeded,
)
from harness.profiles import AuthScheme, Profile
from harness.redaction import Redactor

RESET_ORDER = 85


def _reset_feature(profile: Profile) -> tuple[Mapping[str, Any], AuthScheme] | None:
    """A documented call (method, path) that resets the credential of the scheme it names."""
    schemes = {s.id: s for s in profile.auth}
    for feature in profile.features.values():
        scheme = schemes.get(str(feature.get("auth", "")))
        if scheme and isinstance(feature.get("path"), str) and feature.get("method"):
            return feature, scheme
    return None


def _shown_by(profile: Profile, credential: str) -> Mapping[str, Any] | None:
    """A documented record (path) that shows the credential (field)."""
    for feature in profile.features.values():
        if feature.get("field") == credential and isinstance(feature.get("path"), str):
            return feature
    return None


def _applies(profile: Profile) -> str | None:
    return None if _reset_feature(profile) else "the profile documents no credential reset"


@check(
    "token.reset",
    concern="token",
    applies=_applies,
    needs=("writes",),
    order=RESET_ORDER,
)
def reset(ctx: CheckContext) -> None:
    """The documented reset call replaces the API token: the new one authenticates (and,
    strictly, the old one no longer does)."""
    if ctx.target.is_live:
        ctx.skip(
            "resetting would invalidate the API token the target file holds for every "
            "later run; it runs against emulators only"
        )
    found = _reset_feature(ctx.profile)
    assert found is not None
    feature, scheme = found
    credential = secret_credentials(scheme)[0]
    shown = _shown_by(ctx.profile, credential)
    readers = [
        s
        for s in ctx.profile.auth
        if credential not in s.credentials and ctx.client.has_credentials(s)
    ]
    if shown is None or not readers:
        ctx.skip(
            f"no way to learn the new {credential} afterwards (needs a documented record "
            f"showing it and credentials of a scheme without it)"
        )
    flows = [ctx.client.auth_for(s) for s in ctx.profile.auth if credential in s.credentials]
    old = next(f.credentials.get(credential, "") for f in flows if f is not None)
    method, path = str(feature["method"]), str(feature["path"])
    exchange = ctx.client.request(method, path, auth=scheme.id, write=True)
    if not succeeded(ctx, exchange):
        ctx.finding(
            f"reset answered {effective_status(ctx, exchange)}",
            f"{method} {path} authenticated with the {credential} was refused",
            exchange,
        )
        return
    body = exchange.json()
    new = body.get(credential) if isinstance(body, dict) else None
    evidence = [exchange]
    if not isinstance(new, str) or not new:
        shown_path = str(shown["path"])
        record = ctx.client.request("GET", shown_path, auth=readers[0].id)
        evidence.append(record)
        data = record.json()
        new = data.get(credential) if isinstance(data, dict) else None
    if not isinstance(new, str) or not new:
        ctx.skip(f"the reset answered {exchange.status} but the new {credential} is not shown")
    for flow in flows:
        if flow is not None:
            flow.credentials[credential] = new
    ctx.client.redactor = Redactor((*ctx.target.secrets, new))
    if new == old:
        ctx.finding(
            f"{credential} unchanged by the reset",
            f"after {method} {path} the user's {credential} is the same as before",
            *evidence,
        )
        return
    works = probe(ctx, scheme.id)
    if not succeeded(ctx, works):
        ctx.finding(
            f"new {credential} refused",
            f"after the reset, a read with the new {credential} answered "
            f"{effective_status(ctx, works)}",
            *evidence,
            works,
        )
    if ctx.strict:
        stale = probe(ctx, credential_auth(ctx, scheme, {credential: old}))
        if succeeded(ctx, stale):
            ctx.finding(
                f"old {credential} still works",
                f"after the reset the previous {credential} is still accepted (strict: a "
                "replaced token stops working; the document implies it, it does not say so)",
                stale,
            )
