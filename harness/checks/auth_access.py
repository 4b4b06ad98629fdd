"""Permission checks: what valid credentials may not do, and what they may see.

- a user the document excludes from the API is refused;
- a read-only credential attempting a write gets the permission status and changes nothing;
- a resource the user may not access answers the permission status with an error body;
- a record the document says shows the user's own API token does so.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from itertools import count, islice
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of, list_operation_for, page_params, record_id
from harness.checks._registry import check
from harness.checks.auth_support import (
    carries_data,
    effective_status,
    expectation,
    probe,
    probe_operation,
    read_only_schemes,
    refused_schemes,
    succeeded,
)
from harness.profiles import Operation, Profile

MAX_PAGES = 10
MARKER_FIELDS = ("subject", "name", "title")


def _has_refused(profile: Profile) -> str | None:
    if refused_schemes(profile):
        return None
    return "the profile documents no credentials that must be refused"


@check("auth.excluded-user-refused", concern="auth", applies=_has_refused)
def excluded_user_refused(ctx: CheckContext) -> None:
    """A user the document excludes from the API (e.g. a lower access level) is refused
    with the documented status and no data, although the rest of the credentials are right."""
    tried = False
    for scheme in refused_schemes(ctx.profile):
        if not ctx.client.has_credentials(scheme):
            continue
        tried = True
        exchange = probe(ctx, scheme.id)
        status = effective_status(ctx, exchange)
        expected = expectation(ctx, (403,))
        op = probe_operation(ctx)
        if 200 <= status < 300:
            ctx.finding(
                "excluded user served",
                f"{op.method} {op.path} with the credentials of scheme {scheme.id} answered "
                f"{status}; that user must be refused with {expected.text} ({expected.reading})",
                exchange,
            )
        elif not expected.accepts(status):
            ctx.finding(
                f"excluded user refused with {status}",
                f"scheme {scheme.id} answered {status}, expected {expected.text} "
                f"({expected.reading})",
                exchange,
            )
        elif carries_data(ctx, op, exchange):
            ctx.finding(
                "refusal carries data",
                f"the {status} answer to scheme {scheme.id} still lists records",
                exchange,
            )
    if not tried:
        names = ", ".join(s.id for s in refused_schemes(ctx.profile))
        ctx.skip(f"the target gives no credentials for the optional scheme(s) {names}")


def _read_only_write(profile: Profile) -> str | None:
    if not read_only_schemes(profile):
        return "the profile documents no read-only credential"
    if _create_operation(profile) is None:
        return "the profile documents no create operation to attempt"
    return None


def _create_operation(profile: Profile) -> Operation | None:
    return next((o for o in profile.operations if o.write and o.kind == "create"), None)


def _example_body(profile: Profile, op: Operation) -> dict[str, Any]:
    """A documented example body for ``op`` (a feature naming it as its create
    operation), else the operation's own body template."""
    for feature in profile.features.values():
        example = feature.get("example_create")
        if feature.get("create_operation") == op.id and isinstance(example, Mapping):
            return dict(example)
    return dict(op.body)


def _records_with(ctx: CheckContext, listing: Operation, marker: str) -> tuple[bool, int]:
    """(found, records seen): walk ``listing`` (bounded) looking for ``marker``."""
    pagination = ctx.profile.pagination
    size = pagination.max_size or pagination.default_size
    first = 0 if pagination.style == "offset" else pagination.first_page
    seen = 0
    for page in range(first, first + MAX_PAGES):
        paging = page_params(pagination, page, size) if pagination.style != "none" else None
        exchange = call(ctx, listing, paging=paging)
        items = items_of(ctx, exchange.json()) if exchange.status < 300 else None
        if not items:
            break
        seen += len(items)
        if any(isinstance(i, Mapping) and marker in i.values() for i in items):
            return True, seen
        if pagination.style == "none" or (size and len(items) < size):
            break
    return False, seen


def _remove(ctx: CheckContext, created: Operation, record: Any) -> None:
    """Delete a record a refused write created anyway (with the session's credentials)."""
    rid = record_id(record)
    delete = next(
        (
            o
            for o in ctx.profile.operations
            if o.write and o.kind == "delete" and o.path.startswith(created.path + "/{")
        ),
        None,
    )
    if rid is not None and delete is not None:
        name = delete.path.split("{", 1)[1].split("}", 1)[0]
        call(ctx, delete, ids={name: rid})


@check(
    "auth.read-only-write-forbidden",
    concern="auth",
    applies=_read_only_write,
    needs=("writes",),
)
def read_only_write_forbidden(ctx: CheckContext) -> None:
    """A valid read-only credential attempting a write gets the permission status (not the
    one for bad credentials), and nothing is created."""
    op = _create_operation(ctx.profile)
    assert op is not None
    schemes = [s for s in read_only_schemes(ctx.profile) if ctx.client.has_credentials(s)]
    if not schemes:
        ctx.skip("the target gives no read-only credential (an optional scheme)")
    scheme = schemes[0]
    marker = f"harness auth probe {int(time.time())}"
    body = _example_body(ctx.profile, op)
    marked = [k for k in MARKER_FIELDS if k in body] or [MARKER_FIELDS[0]]
    for key in marked:
        body[key] = marker
    exchange = call(ctx, op, body=body, auth=scheme.id)
    status = effective_status(ctx, exchange)
    expected = expectation(ctx, (403,))
    if 200 <= status < 300:
        ctx.finding(
            "read-only credential could write",
            f"{op.method} {op.path} with the read-only scheme {scheme.id} answered {status}: "
            f"the write was accepted instead of refused with {expected.text}",
            exchange,
        )
        _remove(ctx, op, exchange.json())
        return
    if not expected.accepts(status):
        ctx.finding(
            f"read-only write refused with {status}",
            f"{op.method} {op.path} with the valid read-only scheme {scheme.id} answered "
            f"{status}; lacking a permission must give {expected.text} ({expected.reading}), "
            "not the status of invalid credentials",
            exchange,
        )
    listing = list_operation_for(ctx, op)
    if listing is None:
        return
    found, _ = _records_with(ctx, listing, marker)
    if found:
        ctx.finding(
            "refused write changed state",
            f"after the {status} refusal, {listing.path} holds a record marked {marker!r}",
            exchange,
        )


def _object_reads(profile: Profile) -> list[Operation]:
    return [
        o
        for o in profile.operations
        if o.kind == "object" and not o.write and o.path.count("{") == 1
    ]


def _forbidden_probe(profile: Profile) -> str | None:
    if 403 not in profile.statuses:
        return "the profile documents no 403 status"
    if not _object_reads(profile):
        return "the profile has no single-record read to probe"
    return None


@check("auth.forbidden-resource", concern="auth", applies=_forbidden_probe)
def forbidden_resource(ctx: CheckContext) -> None:
    """A record the user may not access answers the permission status with the documented
    error body, and not the record.

    Records are looked for among the smallest integer ids the user's own listing does not
    show (at most three per single-record read)."""
    spec = ctx.profile.statuses[403]
    for op in _object_reads(ctx.profile):
        listing = list_operation_for(ctx, op)
        if listing is None:
            continue
        first = call(ctx, listing)
        items = items_of(ctx, first.json()) if first.status < 300 else None
        name = op.path.split("{", 1)[1].split("}", 1)[0]
        visible = {record_id(i, name) for i in items or ()}
        if not visible or not all(isinstance(v, int) for v in visible):
            continue
        candidates = list(islice((i for i in count(1) if i not in visible), 3))
        for candidate in candidates:
            exchange = call(ctx, op, ids={name: candidate})
            if exchange.status != 403:
                continue
            body = exchange.json()
            missing = [
                v.pointer
                for v in (ctx.validate(spec.schema, body) if spec.schema else [])
                if v.rule in ("required", "type") and v.pointer.count("/") <= 1
            ]
            if not isinstance(body, dict) or missing:
                ctx.finding(
                    "403 without the documented error body",
                    f"{op.method} {op.path} ({name}={candidate}) answered 403 with a body "
                    f"that is not the documented error ({', '.join(missing) or 'not an object'})",
                    exchange,
                )
            return
    ctx.skip("no record the user may not access was found (no probed id answered 403)")


def _me_feature(profile: Profile) -> Mapping[str, Any] | None:
    """A documented record that shows one of the user's own credentials (``path``,
    ``field``)."""
    names = {c for s in profile.auth for c in s.credentials}
    for feature in profile.features.values():
        if isinstance(feature.get("path"), str) and feature.get("field") in names:
            return feature
    return None


def _has_me(profile: Profile) -> str | None:
    return None if _me_feature(profile) else "no documented record shows an API credential"


@check("auth.me-shows-token", concern="auth", applies=_has_me)
def me_shows_token(ctx: CheckContext) -> None:
    """Authenticated with a scheme that does not use it, the user's own record includes the
    API credential (as the document says when authenticating with email and password)."""
    feature = _me_feature(ctx.profile)
    assert feature is not None
    field, path = feature["field"], feature["path"]
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
