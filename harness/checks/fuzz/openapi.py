"""Schemathesis over the vendor's own OpenAPI document (``[features.openapi]``).

The live document is read from the target with the harness client, loaded with
``schemathesis.openapi.from_dict`` and, for every GET operation it describes,
schemathesis generates positive and negative cases (hypothesis, derandomized, bounded
by ``max_examples``). Each case is sent through the harness client (budget, throttle,
TLS trust, the profile's auth, redaction), never through schemathesis' own transport,
and the answer is handed back to schemathesis' checks (``not_a_server_error``,
``status_code_conformance``, ``content_type_conformance``,
``response_schema_conformance``, ``negative_data_rejection``).

A schemathesis failure is only a trigger: it is mapped to the invariant it is about and
judged by the same judge as the generic fuzz check of that invariant, so a finding names
the vendor's clause (the document's reading), not the OpenAPI document's. Its aspects
are the generic check's, prefixed with its name (``error-bodies.status-422``). Failures
no clause takes (the OpenAPI document stricter than the vendor's document) are not
findings.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.errors._common import routed
from harness.checks.fuzz._common import (
    ERROR_BODIES,
    IDS,
    INVALID,
    JSON,
    LATE_ORDER,
    ROLES,
    SHAPE,
    STATUS,
    TIMESTAMPS,
    collect,
    examples_per_operation,
    mirrored,
)
from harness.checks.fuzz.judges import (
    Problem,
    judge_error_body,
    judge_invalid,
    judge_json,
    judge_status,
    judge_success,
    report,
)
from harness.checks.fuzz.parameters import combine, op_params
from harness.checks.openapi._features import OPENAPI
from harness.client import Exchange
from harness.profiles import Operation, Profile, load_profile

__all__: list[str] = []

# schemathesis failure class -> the generic fuzz check whose invariant it is about
FAILURE_ROLES = {
    "ServerError": STATUS,
    "ContentTypeServerError": STATUS,
    "UndefinedStatusCode": STATUS,
    "AcceptedNegativeData": INVALID,
    "JsonSchemaError": ERROR_BODIES,  # or a success check, by status
    "UndefinedContentType": JSON,
    "MissingContentType": JSON,
    "MalformedMediaType": JSON,
    "MalformedJson": JSON,
    "ContentDeserializationError": JSON,
}
SUCCESS_ROLES = {SHAPE: "shape", IDS: "id", TIMESTAMPS: "timestamp"}
_DROPPED_HEADERS = frozenset(
    {"authorization", "user-agent", "x-schemathesis-testcaseid", "accept-encoding", "connection"}
)


def _spec_path(profile: Profile) -> str | None:
    published = OPENAPI.read(profile)
    return published.spec_path if published else None


def _has_openapi(profile: Profile) -> str | None:
    return None if _spec_path(profile) else "the document publishes no OpenAPI description"


def openapi_aspects(profile: Profile) -> tuple[str, ...]:
    """Every invariant's aspects, prefixed with its check's name (where the profile
    documents an OpenAPI description)."""
    if not _spec_path(profile):
        return ()
    return tuple(a for role in ROLES for a in mirrored(profile, role))


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        negative_data_rejection,
    ]


def _load(ctx: CheckContext) -> Any:
    import schemathesis
    from schemathesis.core.errors import LoaderError

    path = _spec_path(ctx.profile)
    assert path is not None
    exchange = ctx.client.request("GET", path, operation="openapi.document", write=False)
    document = exchange.json() if exchange.status == 200 else None
    if not isinstance(document, dict):
        ctx.skip(
            f"GET {path} answered {exchange.status} without a JSON document "
            "(the OpenAPI clause's own check reports that)"
        )
    try:
        return schemathesis.openapi.from_dict(document, config=schemathesis.Config())
    except LoaderError as exc:
        ctx.skip(f"the OpenAPI document at {path} cannot be loaded: {str(exc)[:200]}")


def _prepare(ctx: CheckContext, case: Any) -> tuple[str, str, dict[str, str]]:
    """The method, the URL (query encoded as schemathesis would send it) and the headers."""
    import requests

    kwargs = case.as_transport_kwargs(base_url=ctx.target.base_url)
    headers = {k: str(v) for k, v in kwargs["headers"].items() if k.lower() not in _DROPPED_HEADERS}
    prepared = requests.Request(
        kwargs["method"], kwargs["url"], params=kwargs.get("params"), headers=headers
    ).prepare()
    return str(kwargs["method"]), str(prepared.url), headers


def _send(
    ctx: CheckContext, case: Any, prepared: tuple[str, str, dict[str, str]], label: str
) -> tuple[Exchange, Any, dict[str, Any]]:
    """Send one case through the harness client; the answer as schemathesis sees it, and
    the values of the query and path as the server received them."""
    import requests
    from schemathesis.core.transport import Response

    method, url, headers = prepared
    exchange = ctx.client.request(method, url, headers=headers, operation=label, write=False)
    request = requests.Request(
        exchange.method, exchange.url, headers=dict(exchange.request_headers)
    ).prepare()
    response = Response(
        status_code=exchange.status,
        headers={k: exchange.headers.get_list(k) for k in exchange.headers},
        content=exchange.content,
        request=request,
        elapsed=exchange.elapsed,
        verify=True,
    )
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    values: dict[str, Any] = {k: v[0] if len(v) == 1 else v for k, v in query.items()}
    values.update({k: str(v) for k, v in (case.path_parameters or {}).items()})
    return exchange, response, values


def _failures(case: Any, response: Any) -> list[Any]:
    from schemathesis.core.failures import FailureGroup

    try:
        case.validate_response(response, checks=_checks())
    except FailureGroup as group:
        return list(group.exceptions)
    return []


def _profile_op(profile: Profile, method: str, path: str) -> Operation | None:
    return next(
        (
            o
            for o in profile.operations
            if o.method == method.upper() and o.path == path and not o.write
        ),
        None,
    )


def _shape(method: str, path: str) -> tuple[str, str]:
    return method.upper(), re.sub(r"\{[^}]*\}", "{}", path)


def _dropped(profile: Profile) -> set[tuple[str, str]]:
    """(method, path) of the vendor's default operations the target's inventory leaves
    out (``[inventory]``): the target never wants them requested."""
    kept = {_shape(o.method, o.path) for o in profile.operations}
    defaults = load_profile(profile.vendor).operations
    return {_shape(o.method, o.path) for o in defaults} - kept


def _clause_ids(ctx: CheckContext, problem: Problem) -> tuple[str, ...]:
    return tuple(c.id for c in routed(ctx, problem.aspects))


def _judge(
    ctx: CheckContext,
    failure: Any,
    exchange: Exchange,
    what: str,
    op: Operation | None,
    values: dict[str, Any],
) -> list[Problem]:
    role = FAILURE_ROLES.get(type(failure).__name__)
    if role == STATUS:
        return judge_status(ctx, role, exchange, what)
    if role == INVALID:
        params = op_params(ctx, op) if op is not None else []
        return judge_invalid(ctx, role, exchange, what, combine(ctx, params, values))
    if role == JSON:
        return judge_json(ctx, role, exchange, what)
    if role == ERROR_BODIES:
        if exchange.status >= 400:
            return judge_error_body(ctx, role, exchange, what)
        if op is None:
            return []
        problems: list[Problem] = []
        for success_role, kind in SUCCESS_ROLES.items():
            problems += judge_success(ctx, success_role, exchange, what, op, kind)
        return problems
    return []


@check(
    "fuzz.openapi",
    concern="fuzz",
    applies=_has_openapi,
    order=LATE_ORDER,
    aspects=openapi_aspects,
)
def openapi(ctx: CheckContext) -> None:
    """Schemathesis cases from the vendor's OpenAPI document meet the documented behaviour."""
    from schemathesis import GenerationMode

    schema = _load(ctx)
    count = examples_per_operation(ctx)
    modes = ((GenerationMode.POSITIVE, math.ceil(count / 2)), (GenerationMode.NEGATIVE, count // 2))
    problems: list[Problem] = []
    seen: set[str] = set()
    dropped = _dropped(ctx.profile)
    ran = 0
    for result in schema.get_all_operations():
        try:
            operation = result.ok()
        except Exception:  # an operation schemathesis cannot read: nothing to generate
            continue
        if operation.method.upper() != "GET":
            continue  # read-only: the write operations are not fuzzed through OpenAPI
        if _shape(operation.method, operation.path) in dropped:
            continue  # the target excludes it from its inventory
        op = _profile_op(ctx.profile, operation.method, operation.path)
        for mode, number in modes:
            strategy = operation.as_strategy(
                generation_mode=mode, headers={"Authorization": "Bearer harness"}
            )
            for case in collect(strategy, number):
                prepared = _prepare(ctx, case)
                if prepared[1] in seen:
                    continue
                seen.add(prepared[1])
                exchange, response, values = _send(
                    ctx, case, prepared, f"openapi:{operation.label}"
                )
                ran += 1
                what = f"{exchange.method} {exchange.url.split(ctx.target.base_url, 1)[-1]}"
                for failure in _failures(case, response):
                    problems += _judge(ctx, failure, exchange, what[:200], op, values)
    if not ran:
        ctx.skip("the OpenAPI document describes no GET operation")
    # one problem per clause, title and answer (several failures can say the same)
    unique = {(_clause_ids(ctx, p), p.title, id(p.exchange)): p for p in problems}
    report(ctx, unique.values(), note=" (schemathesis cases from the vendor's OpenAPI document)")
