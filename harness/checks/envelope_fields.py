"""Envelope field checks: the metadata an envelope carries on success and error bodies.

Driven by ``[features.envelope]`` of the profile: ``request_id_field``,
``timestamp_field``, ``status_code_field`` (an integer mirroring the HTTP status in
success bodies), ``status_field`` with its ``success``/``error`` values, ``code_field``
(``code_type``, ``code_mirrors_http_status``). Each check looks at the samples of
:func:`harness.checks.envelope.samples`: a success of the main read, the token grant
(if any) and two error answers. A field that is missing where a shape check already
requires it is left to that check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import describe, public_note
from harness.checks._registry import check
from harness.checks._shapes import envelope_fields
from harness.checks.envelope import error_samples, samples
from harness.client import Exchange
from harness.profiles import Profile


def _feature(name: str) -> Callable[[Profile], str | None]:
    def applies(profile: Profile) -> str | None:
        if profile.features.get("envelope", {}).get(name):
            return None
        return f"the profile's envelope names no {name} ([features.envelope] {name})"

    return applies


def _env(ctx: CheckContext) -> Mapping[str, Any]:
    env: Mapping[str, Any] = ctx.profile.features.get("envelope", {})
    return env


def _objects(exchanges: list[Exchange]) -> list[tuple[Exchange, Mapping[str, Any]]]:
    """The samples whose body is a JSON object (others are for the JSON/shape checks)."""
    return [(x, x.json()) for x in exchanges if isinstance(x.json(), Mapping)]


def _report(ctx: CheckContext, title: str, problems: list[tuple[Exchange, str]]) -> None:
    if problems:
        ctx.finding(
            title,
            "; ".join(f"{describe(x)}: {why}" for x, why in problems) + public_note(ctx),
            *[x for x, _ in problems],
        )


def _bodies(ctx: CheckContext) -> list[tuple[Exchange, Mapping[str, Any]]]:
    on_errors = _env(ctx).get("on_errors_too", True)
    return _objects(samples(ctx, errors=bool(on_errors)))


@check("envelope.request-id", concern="envelope", applies=_feature("request_id_field"))
def request_id(ctx: CheckContext) -> None:
    """Every response body, success or error, carries a non-empty request id string."""
    field = str(_env(ctx)["request_id_field"])
    problems = []
    for exchange, body in _bodies(ctx):
        value = body.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append((exchange, f"{field} is {value!r}, not a non-empty string"))
    _report(ctx, f"response without {field}", problems)


def _has_request_id_format(profile: Profile) -> str | None:
    if profile.request_id_pattern and profile.features.get("envelope", {}).get("request_id_field"):
        return None
    return "the profile gives no request id format (formats.request_id)"


@check("envelope.request-id-format", concern="envelope", applies=_has_request_id_format)
def request_id_format(ctx: CheckContext) -> None:
    """Request ids have the documented form (e.g. <environment>-<uuid>)."""
    field = str(_env(ctx)["request_id_field"])
    pattern = re.compile(str(ctx.profile.request_id_pattern))
    problems = []
    for exchange, body in _bodies(ctx):
        value = body.get(field)
        if isinstance(value, str) and value and not pattern.search(value):
            problems.append((exchange, f"{field} {value!r} does not match {pattern.pattern}"))
    _report(ctx, f"{field} in an undocumented form", problems)


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


@check("envelope.timestamp", concern="envelope", applies=_feature("timestamp_field"))
def timestamp(ctx: CheckContext) -> None:
    """Every response body carries the envelope timestamp as an ISO 8601 (UTC) date-time."""
    field = str(_env(ctx)["timestamp_field"])
    utc = ctx.profile.timestamp_format.endswith("utc")
    problems = []
    for exchange, body in _bodies(ctx):
        value = body.get(field)
        if not isinstance(value, str):
            problems.append((exchange, f"{field} is {value!r}, not a date-time string"))
            continue
        why = _utc_problem(value, ctx.strict, utc)
        if why:
            problems.append((exchange, f"{field}: {why}"))
    _report(ctx, f"envelope {field} missing or not ISO 8601 UTC", problems)


@check("envelope.status-code", concern="envelope", applies=_feature("status_code_field"))
def status_code(ctx: CheckContext) -> None:
    """A wrapped success body's status code field is the integer HTTP status (200, 201...)."""
    env = _env(ctx)
    if env.get("status_code_equals_http") is False:
        ctx.skip("the document does not say the status code field mirrors the HTTP status")
    field, payload = str(env["status_code_field"]), envelope_fields(ctx.profile)[1]
    problems = []
    for exchange, body in _objects(samples(ctx, errors=False)):
        wrapped = payload is not None and payload in body
        if not 200 <= exchange.status < 300 or not wrapped or field not in body:
            continue  # not a wrapped success; absence is the envelope reading's business
        value = body[field]
        if isinstance(value, bool) or not isinstance(value, int) or value != exchange.status:
            problems.append(
                (exchange, f"{field} is {value!r}, the HTTP status is {exchange.status}")
            )
    _report(ctx, f"{field} differs from the HTTP status", problems)


@check("envelope.status-field", concern="envelope", applies=_feature("status_field"))
def status_field(ctx: CheckContext) -> None:
    """The envelope status says success on a successful call and error on a failed one."""
    env = _env(ctx)
    field = str(env["status_field"])
    success, error = env.get("success"), env.get("error")
    problems = []
    for exchange, body in _objects(samples(ctx)):
        if field not in body:
            continue  # a missing field is the envelope shape's business
        value = body[field]
        if value not in (success, error):
            problems.append((exchange, f"{field} is {value!r}, neither {success!r} nor {error!r}"))
        elif exchange.status >= 400 and value != error:
            problems.append((exchange, f"{field} is {value!r} on a failed call"))
        elif exchange.status < 300 and value != success and ctx.strict:
            problems.append(
                (
                    exchange,
                    f"{field} is {value!r} on HTTP {exchange.status}; the strict "
                    "reading has failures carry a 4xx/5xx status",
                )
            )
    _report(ctx, f"envelope {field} disagrees with the outcome", problems)


@check("envelope.code-field", concern="envelope", applies=_feature("code_field"))
def code_field(ctx: CheckContext) -> None:
    """The envelope code is the HTTP status as a three-digit string."""
    env = _env(ctx)
    if not env.get("code_mirrors_http_status", True):
        ctx.skip("the profile does not say the envelope code mirrors the HTTP status")
    field = str(env["code_field"])
    as_string = env.get("code_type", "string") == "string"
    problems = []
    for exchange, body in _objects(samples(ctx)):
        if field not in body:
            continue
        value = body[field]
        if isinstance(value, str) and value == str(exchange.status):
            continue
        lenient_int = isinstance(value, int) and not isinstance(value, bool)
        if lenient_int and value == exchange.status and not (as_string and ctx.strict):
            continue  # the number itself; strict mode wants the documented string
        problems.append((exchange, f"{field} is {value!r}, expected {str(exchange.status)!r}"))
    _report(ctx, f"envelope {field} is not the HTTP status", problems)


def _error_envelope(profile: Profile) -> str | None:
    env = profile.features.get("envelope", {})
    if env.get("status_field") or env.get("code_field"):
        return None
    return "the profile's envelope has no status or code field for error bodies"


@check("envelope.error-envelope", concern="envelope", applies=_error_envelope)
def error_envelope(ctx: CheckContext) -> None:
    """Error bodies keep the envelope: a JSON object with its status and code fields."""
    env = _env(ctx)
    required = [str(env[k]) for k in ("status_field", "code_field") if env.get(k)]
    payload = envelope_fields(ctx.profile)[1]
    if ctx.strict and payload:
        required.append(payload)
    problems = []
    for exchange in error_samples(ctx):
        if exchange.status < 400 or not exchange.content.strip():
            continue
        body = exchange.json()
        if not isinstance(body, Mapping):
            problems.append((exchange, "the error body is not a JSON object envelope"))
            continue
        missing = [k for k in required if k not in body]
        if missing:
            problems.append((exchange, f"the error envelope lacks {', '.join(missing)}"))
    _report(ctx, "error body outside the envelope", problems)
