"""The envelope fields that state a call's outcome: the status code mirroring the HTTP
status, the status field (success or error), the code field, and the envelope kept on
error bodies.

Driven by ``[features.envelope]``: ``status_code_field`` (an integer mirroring the HTTP
status in success bodies), ``status_field`` with its ``success``/``error`` values,
``code_field`` (``code_type``) and ``code_mirrors_http_status``. Each check looks at the
samples of :func:`harness.checks.envelope._common.samples`. A field that is missing where
a shape check already requires it is left to that check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks._shapes import envelope_fields
from harness.checks.envelope._common import error_samples, json_objects, report, samples
from harness.checks.envelope._features import ENVELOPE, Envelope
from harness.profiles import Profile

__all__: list[str] = []


def _names(name: str, field: Callable[[Envelope], str | None]) -> Callable[[Profile], str | None]:
    """``applies``: the envelope names ``field`` (``name`` is its key, for the reason)."""

    def applies(profile: Profile) -> str | None:
        env = ENVELOPE.read(profile)
        if env is not None and field(env):
            return None
        return f"the profile's envelope names no {name} ([features.envelope] {name})"

    return applies


@check(
    "envelope.status-code",
    concern="envelope",
    requires=(ENVELOPE,),
    applies=_names("status_code_field", lambda env: env.status_code_field),
)
def status_code(ctx: CheckContext) -> None:
    """A wrapped success body's status code field is the integer HTTP status (200, 201...)."""
    env = ctx.feature(ENVELOPE)
    if not env.code_mirrors_http_status:
        ctx.skip("the document does not say the status code field mirrors the HTTP status")
    field, payload = str(env.status_code_field), envelope_fields(ctx.profile)[1]
    problems = []
    for exchange, body in json_objects(samples(ctx, errors=False)):
        wrapped = payload is not None and payload in body
        if not 200 <= exchange.status < 300 or not wrapped or field not in body:
            continue  # not a wrapped success; absence is the envelope reading's business
        value = body[field]
        if isinstance(value, bool) or not isinstance(value, int) or value != exchange.status:
            problems.append(
                (exchange, f"{field} is {value!r}, the HTTP status is {exchange.status}")
            )
    report(ctx, f"{field} differs from the HTTP status", problems)


@check(
    "envelope.status-field",
    concern="envelope",
    requires=(ENVELOPE,),
    applies=_names("status_field", lambda env: env.status_field),
)
def status_field(ctx: CheckContext) -> None:
    """The envelope status says success on a successful call and error on a failed one."""
    env = ctx.feature(ENVELOPE)
    field = str(env.status_field)
    success, error = env.success, env.error
    problems = []
    for exchange, body in json_objects(samples(ctx)):
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
    report(ctx, f"envelope {field} disagrees with the outcome", problems)


@check(
    "envelope.code-field",
    concern="envelope",
    requires=(ENVELOPE,),
    applies=_names("code_field", lambda env: env.code_field),
)
def code_field(ctx: CheckContext) -> None:
    """The envelope code is the HTTP status as a three-digit string."""
    env = ctx.feature(ENVELOPE)
    if not env.code_mirrors_http_status:
        ctx.skip("the profile does not say the envelope code mirrors the HTTP status")
    field = str(env.code_field)
    as_string = env.code_type == "string"
    problems = []
    for exchange, body in json_objects(samples(ctx)):
        if field not in body:
            continue
        value = body[field]
        if isinstance(value, str) and value == str(exchange.status):
            continue
        lenient_int = isinstance(value, int) and not isinstance(value, bool)
        if lenient_int and value == exchange.status and not (as_string and ctx.strict):
            continue  # the number itself; strict mode wants the documented string
        problems.append((exchange, f"{field} is {value!r}, expected {str(exchange.status)!r}"))
    report(ctx, f"envelope {field} is not the HTTP status", problems)


def _error_envelope(profile: Profile) -> str | None:
    env = ENVELOPE.read(profile)
    if env is not None and (env.status_field or env.code_field):
        return None
    return "the profile's envelope has no status or code field for error bodies"


@check("envelope.error-envelope", concern="envelope", requires=(ENVELOPE,), applies=_error_envelope)
def error_envelope(ctx: CheckContext) -> None:
    """Error bodies keep the envelope: a JSON object with its status and code fields."""
    env = ctx.feature(ENVELOPE)
    required = [f for f in (env.status_field, env.code_field) if f]
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
    report(ctx, "error body outside the envelope", problems)
