"""The request metadata an envelope carries on every body: a request id (in its
documented form) and a timestamp.

Driven by ``[features.envelope]``: ``request_id_field``, ``timestamp_field`` and
``on_errors_too`` (whether error bodies carry them as well); the request id's form is the
profile's ``formats.request_id``. Each check looks at the samples of
:func:`harness.checks.envelope._common.samples`: a success of the main read, the token
grant (if any) and two error answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.envelope._common import json_objects, report, samples
from harness.checks.envelope._features import ENVELOPE, Envelope
from harness.client import Exchange
from harness.profiles import Profile

__all__: list[str] = []


def _has_request_id(profile: Profile) -> str | None:
    env = ENVELOPE.read(profile)
    if env is not None and env.request_id_field:
        return None
    return "the profile's envelope names no request_id_field ([features.envelope] request_id_field)"


def _has_request_id_format(profile: Profile) -> str | None:
    if profile.request_id_pattern and _has_request_id(profile) is None:
        return None
    return "the profile gives no request id format (formats.request_id)"


def _has_timestamp(profile: Profile) -> str | None:
    env = ENVELOPE.read(profile)
    if env is not None and env.timestamp_field:
        return None
    return "the profile's envelope names no timestamp_field ([features.envelope] timestamp_field)"


def _bodies(ctx: CheckContext, env: Envelope) -> list[tuple[Exchange, Mapping[str, Any]]]:
    return json_objects(samples(ctx, errors=env.on_errors_too))


@check("envelope.request-id", concern="envelope", requires=(ENVELOPE,), applies=_has_request_id)
def request_id(ctx: CheckContext) -> None:
    """Every response body, success or error, carries a non-empty request id string."""
    env = ctx.feature(ENVELOPE)
    field = str(env.request_id_field)
    problems = []
    for exchange, body in _bodies(ctx, env):
        value = body.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append((exchange, f"{field} is {value!r}, not a non-empty string"))
    report(ctx, f"response without {field}", problems)


@check(
    "envelope.request-id-format",
    concern="envelope",
    requires=(ENVELOPE,),
    applies=_has_request_id_format,
)
def request_id_format(ctx: CheckContext) -> None:
    """Request ids have the documented form (e.g. <environment>-<uuid>)."""
    env = ctx.feature(ENVELOPE)
    field = str(env.request_id_field)
    pattern = re.compile(str(ctx.profile.request_id_pattern))
    problems = []
    for exchange, body in _bodies(ctx, env):
        value = body.get(field)
        if isinstance(value, str) and value and not pattern.search(value):
            problems.append((exchange, f"{field} {value!r} does not match {pattern.pattern}"))
    report(ctx, f"{field} in an undocumented form", problems)


def _utc_problem(text: str, strict: bool, utc: bool) -> str | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return f"{text!r} is not an ISO 8601 date-time"
    if "T" not in text.upper():
        return f"{text!r} is a date without a time"
    if not utc:
        return None
    if moment.utcoffset() is None:
        return f"{text!r} has no UTC designator"
    if moment.utcoffset() != timedelta(0):
        return f"{text!r} is not in UTC"
    if strict and not text.upper().endswith("Z"):
        return f"{text!r} is UTC but not written with Z (strict mode)"
    return None


@check("envelope.timestamp", concern="envelope", requires=(ENVELOPE,), applies=_has_timestamp)
def timestamp(ctx: CheckContext) -> None:
    """Every response body carries the envelope timestamp as an ISO 8601 (UTC) date-time."""
    env = ctx.feature(ENVELOPE)
    field = str(env.timestamp_field)
    utc = ctx.profile.timestamp_format.endswith("utc")
    problems = []
    for exchange, body in _bodies(ctx, env):
        value = body.get(field)
        if not isinstance(value, str):
            problems.append((exchange, f"{field} is {value!r}, not a date-time string"))
            continue
        why = _utc_problem(value, ctx.strict, utc)
        if why:
            problems.append((exchange, f"{field}: {why}"))
    report(ctx, f"envelope {field} missing or not ISO 8601 UTC", problems)
