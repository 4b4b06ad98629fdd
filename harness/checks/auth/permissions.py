"""Permissions: valid credentials get no more than they may.

- a user the document excludes from the API (e.g. a lower access level) is refused;
- a record the user may not access answers the permission status with the documented
  error body, and not the record.
"""

from __future__ import annotations

from itertools import count, islice

from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of, list_operation_for, record_id
from harness.checks._registry import check
from harness.checks.auth._common import (
    carries_data,
    effective_status,
    expectation,
    probe,
    probe_operation,
    refused_schemes,
)
from harness.profiles import Operation, Profile


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
