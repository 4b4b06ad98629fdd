"""What every response carries, success or error: the documented media type and charset,
a JSON body, and one of the documented status codes.

Each looks at the samples of :func:`harness.checks.envelope._common.samples`: a success
of the main read, the token grant (if any), the main read without credentials and an
unknown path, so "errors included" clauses are checked on real error answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks._context import CheckContext, CheckSkipped
from harness.checks._memo import memoized
from harness.checks._ops import fetch_operation, read_operations
from harness.checks._registry import check
from harness.checks.envelope._common import Problems, report, samples
from harness.checks.errors._features import errors_of
from harness.checks.transport._common import with_body
from harness.profiles import Profile

__all__ = ["charset_of"]


def charset_of(header: str) -> str | None:
    """The charset parameter of a Content-Type value (lower-cased, unquoted), or None."""
    for param in header.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


@check("transport.content-type", concern="transport", health=True)
def content_type(ctx: CheckContext) -> None:
    """Responses with a body, success or error, carry the documented media type."""
    wanted = ctx.profile.content_type.lower()
    problems: Problems = []
    for exchange in with_body(samples(ctx)):
        header = exchange.headers.get("content-type", "")
        media = header.partition(";")[0].strip().lower()
        if media != wanted:
            problems.append((exchange, f"Content-Type is {header!r}, not {wanted}"))
    report(ctx, "wrong media type", problems)


def _has_charset(profile: Profile) -> str | None:
    return None if profile.charset else "the document names no response charset"


@memoized
def _charset_required(ctx: CheckContext, media: str) -> bool:
    """Whether the profile's response header schemas require a charset parameter on
    ``media`` (a bare ``Content-Type: <media>`` breaks the content header group)."""
    required = False
    store = ctx.session.store
    for file in ctx.profile.headers.values():
        schema: Mapping[str, Any] = store.schema(ctx.profile.schema_id(file))
        if "content-type" in schema.get("properties", {}):
            bare = store.validate(ctx.profile.schema_id(file), {"content-type": media})
            required = required or any(v.pointer == "/content-type" for v in bare)
    return required


@check("transport.charset", concern="transport", applies=_has_charset)
def charset(ctx: CheckContext) -> None:
    """Bodies are in the documented charset, and any charset the Content-Type declares is it."""
    wanted = str(ctx.profile.charset).lower()
    problems: Problems = []
    for exchange in with_body(samples(ctx)):
        header = exchange.headers.get("content-type", "")
        found = charset_of(header)
        if found is None and _charset_required(ctx, ctx.profile.content_type):
            problems.append((exchange, f"Content-Type {header!r} declares no charset={wanted}"))
        elif found is not None and found.replace("_", "-") != wanted:
            problems.append((exchange, f"Content-Type {header!r} declares charset {found}"))
        try:
            exchange.content.decode(wanted)
        except (UnicodeDecodeError, LookupError):
            problems.append((exchange, f"the body is not valid {wanted}"))
    report(ctx, "wrong or missing charset", problems)


@check("transport.json-body", concern="transport")
def json_body(ctx: CheckContext) -> None:
    """Every response body, success or error, is JSON."""
    problems: Problems = [
        (x, f"the body is not JSON: {x.content[:80]!r}")
        for x in with_body(samples(ctx))
        if not x.is_json
    ]
    for x in samples(ctx):
        spec = ctx.profile.statuses.get(x.status)
        documented_empty = spec is not None and spec.empty_body
        if x.status in (200, 201) and not x.content.strip() and not documented_empty:
            problems.append((x, f"{x.status} came with an empty body instead of JSON"))
    report(ctx, "body is not JSON", problems)


def _documented_statuses(profile: Profile) -> frozenset[int]:
    """The profile's statuses, and ``[features.errors] extra_statuses``."""
    extra = errors_of(profile).extra_statuses
    return frozenset(set(profile.statuses) | {int(k) for k in extra if str(k).isdigit()})


@check("transport.status-codes", concern="transport")
def status_codes(ctx: CheckContext) -> None:
    """Every response uses one of the documented status codes."""
    documented = _documented_statuses(ctx.profile)
    seen = list(samples(ctx))
    for op in ctx.profile.operations:
        if read_operations(op):
            try:
                seen.append(fetch_operation(ctx, op))
            except CheckSkipped:
                continue  # nothing to fetch it with (an empty collection)
    problems: Problems = [
        (x, f"{x.status} is not among the documented {sorted(documented)}")
        for x in seen
        if x.status not in documented
    ]
    report(ctx, "undocumented status code", problems)
