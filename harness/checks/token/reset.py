"""The API token reset: a documented call replaces the user's API token.

Resetting changes the target's credentials, so the check

- needs its own opt-in, ``[allow] credential_reset = true``, never implied by
  ``writes = true``: on a live target the token in the target file (or the environment it
  is read from) stops working for every later run, and only the record that shows it
  (read with email and password) tells the new one;
- runs late (after the ordinary checks, before exhaustion);
- learns the new token from the answer, or from the record that shows it (read with a
  scheme that does not use the token), and hands it to the session's auth flows (and to
  the redactor), so the checks after it keep working;
- on an emulator, puts the original token back when it is done
  (``POST /__emulator__/restore``) and hands it back to the auth flows, so the same
  target run again gives the same verdicts.
"""

from __future__ import annotations

from harness.auth import ProfileAuth
from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.auth._common import (
    credential_auth,
    effective_status,
    probe,
    secret_credentials,
    succeeded,
)
from harness.checks.auth._features import ME_API_TOKEN, CredentialRecord
from harness.checks.token._features import TOKEN_RESET, TokenReset
from harness.errors import HarnessError
from harness.profiles import AuthScheme, Profile
from harness.redaction import Redactor

RESET_ORDER = 85
RESTORE_PATH = "/__emulator__/restore"  # the emulators' control: lasting state as seeded


def _reset_feature(profile: Profile) -> tuple[TokenReset, AuthScheme] | None:
    """The documented call (``[features.token_reset]``: method, path) that resets the
    credential of the scheme it names."""
    reset = TOKEN_RESET.read(profile)
    if reset is None:
        return None
    scheme = next((s for s in profile.auth if s.id == reset.auth), None)
    return None if scheme is None else (reset, scheme)


def _shown_by(profile: Profile, credential: str) -> CredentialRecord | None:
    """The documented record (``[features.me_api_token]``) that shows the credential."""
    record = ME_API_TOKEN.read(profile)
    return record if record is not None and record.field == credential else None


def _applies(profile: Profile) -> str | None:
    return None if _reset_feature(profile) else "the profile documents no credential reset"


@check(
    "token.reset",
    concern="token",
    applies=_applies,
    needs=("writes", "credential_reset"),
    order=RESET_ORDER,
)
def reset(ctx: CheckContext) -> None:
    """The documented reset call replaces the API token: the new one authenticates (and,
    strictly, the old one no longer does)."""
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
    old = next(f.credentials.get(credential, "") for f in _flows(ctx, credential))
    try:
        _reset_and_judge(ctx, feature, scheme, credential, shown, readers[0], old)
    finally:
        if not ctx.target.is_live:
            _restore(ctx, credential, old)


def _restore(ctx: CheckContext, credential: str, old: str) -> None:
    """Put the emulator's credentials back as seeded and use the original one again."""
    answer = ctx.client.request(
        "POST",
        f"{ctx.target.origin}{RESTORE_PATH}",
        auth=None,
        write=False,
        operation="emulator.restore",
    )
    if answer.status != 200:
        raise HarnessError(
            f"{ctx.target.name}: {RESTORE_PATH} answered {answer.status}, so the reset "
            f"{credential} stays reset and later runs would fail; is the target a harness "
            "emulator (`harness emulate`)? Restart it before running again"
        )
    for flow in _flows(ctx, credential):
        flow.credentials[credential] = old


def _flows(ctx: CheckContext, credential: str) -> list[ProfileAuth]:
    """The session's auth flows that send ``credential``."""
    found = [ctx.client.auth_for(s) for s in ctx.profile.auth if credential in s.credentials]
    return [f for f in found if f is not None]


def _reset_and_judge(
    ctx: CheckContext,
    feature: TokenReset,
    scheme: AuthScheme,
    credential: str,
    shown: CredentialRecord,
    reader: AuthScheme,
    old: str,
) -> None:
    flows = _flows(ctx, credential)
    method, path = feature.method, feature.path
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
        shown_path = shown.path
        record = ctx.client.request("GET", shown_path, auth=reader.id)
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
