"""What the error checks share: which schema an error status has, the aspects a problem
with an error body is about, the error responses of the run and the probes that provoke
them (an unknown path, no credentials), and the statuses an invalid parameter may get.

The fuzz checks judge error bodies and refusals with these same helpers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from harness.catalog import Clause
from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import call
from harness.checks._registry import get_check
from harness.checks.errors._features import errors_of, invalid_params_of
from harness.checks.records._features import ENUMS, IDS
from harness.client import Exchange
from harness.errors import HarnessError
from harness.profiles import Profile
from harness.validation import Violation

__all__ = [
    "PUBLIC_FACTS_NOTE",
    "body_aspects",
    "declared_aspects",
    "error_schema",
    "error_statuses",
    "expected_statuses",
    "invalid_enum_status",
    "is_timestamp_format",
    "missing_id",
    "no_credentials_exchange",
    "problem_aspects",
    "provoke_samples",
    "recorded_errors",
    "routed",
    "unknown_path_exchange",
    "violation_subject",
]

UNKNOWN_PATH = "/harness-no-such-resource"
PUBLIC_FACTS_NOTE = " (this is observed in PUBLIC-FACTS.md, not promised by the document)"
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# A well-formed id of each documented id format that no record is expected to have.
_MISSING_IDS = {
    "integer": 2147483646,
    "uuid": "00000000-0000-4000-8000-000000000000",
    "objectid": "000000000000000000000000",
    "string": "HARNESS-NO-SUCH-ID",
}


# ---------------------------------------------------------------- error schemas
def error_schema(profile: Profile, status: int | None) -> str | None:
    """The schema an error body of ``status`` must match.

    The status's own schema; else one named for it by ``[features.errors]
    extra_statuses``; else the vendor's general ``error.schema.json``; else the schema
    most documented 4xx statuses share.
    """
    spec = profile.statuses.get(status) if status is not None else None
    if spec is not None and spec.schema:
        return spec.schema
    extra = errors_of(profile).extra_statuses
    if status is not None and str(status) in extra:
        return extra[str(status)]
    if (profile.folder / "error.schema.json").is_file():
        return "error.schema.json"
    counts = Counter(
        s.schema for code, s in profile.statuses.items() if 400 <= code < 500 and s.schema
    )
    return counts.most_common(1)[0][0] if counts else None


def error_statuses(profile: Profile) -> tuple[int, ...]:
    """The documented error statuses: the profile's 4xx/5xx and ``extra_statuses``."""
    extra = {int(code) for code in errors_of(profile).extra_statuses}
    return tuple(sorted({code for code in profile.statuses if code >= 400} | extra))


# ---------------------------------------------------------------- aspects
def body_aspects(profile: Profile) -> tuple[str, ...]:
    """What a problem with an error body can be about, for this vendor:
    ``status-<code>`` for each documented error status whose body has a schema of its own
    (not the general error schema), ``field-<name>`` for each body field that
    ``[features.errors] fields`` lists."""
    general = error_schema(profile, None)
    own = [
        f"status-{code}"
        for code in error_statuses(profile)
        if error_schema(profile, code) not in (None, general)
    ]
    return (*own, *(f"field-{name}" for name in errors_of(profile).fields))


def problem_aspects(profile: Profile, status: int, subject: str = "") -> tuple[str, ...]:
    """The declared aspects of a problem with an error body of ``status`` at its top-level
    field ``subject``, most specific first: the status, then the field."""
    declared = body_aspects(profile)
    wanted = [f"status-{status}"] + ([f"field-{subject}"] if subject else [])
    return tuple(a for a in wanted if a in declared)


def declared_aspects(ctx: CheckContext, check: str | None = None) -> tuple[str, ...]:
    """The aspects a check (this one by default) declares for the vendor."""
    return _declared(ctx, check or ctx.check)


@memoized
def _declared(ctx: CheckContext, check: str) -> tuple[str, ...]:
    return get_check(check).aspects(ctx.profile)


def routed(
    ctx: CheckContext, aspects: Iterable[str], check: str | None = None
) -> tuple[Clause, ...]:
    """The clauses a finding about ``aspects`` goes to (none: no clause takes it)."""
    try:
        return ctx.session.routing.route(check or ctx.check, tuple(aspects))
    except HarnessError:
        return ()


def violation_subject(violation: Violation) -> str:
    """The top-level body field a violation is at ("" for the body as a whole)."""
    if not violation.pointer:
        return ""
    return violation.pointer.split("/")[1].replace("~1", "/").replace("~0", "~")


def is_timestamp_format(violation: Violation) -> bool:
    """A date-time notation problem: the timestamp clauses' business, not the error shape's."""
    return (
        violation.rule in ("format", "pattern")
        and isinstance(violation.value, str)
        and _DATE_LIKE.match(violation.value) is not None
    )


# ---------------------------------------------------------------- recorded errors
def recorded_errors(ctx: CheckContext) -> Iterator[Exchange]:
    """Error responses (4xx/5xx) recorded so far in this run, one per distinct body."""
    seen: set[tuple[int, bytes]] = set()
    for exchange in list(ctx.client.exchanges):
        if exchange.status < 400 or exchange.method == "HEAD":
            continue
        key = (exchange.status, exchange.content)
        if key not in seen:
            seen.add(key)
            yield exchange


@memoized
def unknown_path_exchange(ctx: CheckContext) -> Exchange:
    """The main operation sent to a path that does not exist under the base URL.

    Sent the way the main operation is sent (its method, its body template, default
    auth), so a POST-only API is asked for an unknown operation, not for an unknown verb.
    """
    main = ctx.profile.main_operation
    probe = replace(main, id=f"{main.id}:unknown-path", path=UNKNOWN_PATH, write=False)
    return call(ctx, probe)


@memoized
def no_credentials_exchange(ctx: CheckContext) -> Exchange:
    """The main operation sent without credentials."""
    return call(ctx, ctx.profile.main_operation, auth=None)


def provoke_samples(ctx: CheckContext) -> None:
    """Make sure the run has error responses to judge: an unknown path, and (where 401 has
    a documented body and none was recorded yet) a request without credentials."""
    unknown_path_exchange(ctx)
    spec = ctx.profile.statuses.get(401)
    if spec is None or not spec.schema:
        return
    if any(x.status == 401 for x in ctx.client.exchanges):
        return
    no_credentials_exchange(ctx)


# ---------------------------------------------------------------- refusals
def missing_id(profile: Profile) -> Any:
    """A well-formed id of the documented format that no record has."""
    ids = IDS.read(profile)
    example = ids.missing_example if ids else None
    return example if example is not None else _MISSING_IDS.get(profile.id_format, "0")


def invalid_enum_status(profile: Profile) -> int:
    """The status a value outside a documented set of values is refused with (default 422)."""
    enums = ENUMS.read(profile)
    return enums.invalid_status if enums and enums.invalid_status else 422


def expected_statuses(ctx: CheckContext, clause: Clause | None, default: int | None) -> set[int]:
    """The statuses a refusal may have: those ``[features.invalid_params]
    reading_statuses`` gives the readings of the clause's ambiguity (the strict reading
    only in strict mode), else the profile's documented default."""
    found: set[int] = set()
    if clause is not None and clause.ambiguity is not None:
        by_reading = invalid_params_of(ctx.profile).reading_statuses
        readings = [clause.ambiguity.strict] if ctx.strict else list(clause.ambiguity.readings)
        found = {by_reading[r] for r in readings if r in by_reading}
    if default is not None and not (ctx.strict and found):
        found.add(default)
    return found
