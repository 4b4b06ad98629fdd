"""Turris faults on the wire: envelope fields, error bodies, statuses and media types,
each a middleware that rewrites the responses it picks (on some statuses, one operation,
or one response in N)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    Headers,
    json_field,
    on_errors,
    on_operation,
    on_status,
    replace_header,
    rewrite_json,
    rewriter,
)

ONE = on_operation("GET", "/v1/downstream-entity-associations/{id}")
ADD = on_operation("POST", "/v1/downstream-entity-associations/add")
AGENT = on_operation("GET", "/v1/agents/{agentId}")


def _resource(scope: Scope, status: int) -> bool:
    return "/auth/" not in scope["path"]


def _drop(key: str) -> Callable[[Any, Scope, int], Any]:
    def change(body: Any, scope: Scope, status: int) -> Any:
        return {k: v for k, v in body.items() if k != key} if isinstance(body, dict) else body

    return change


def _set(**fields: Any) -> Callable[[Any, Scope, int], Any]:
    def change(body: Any, scope: Scope, status: int) -> Any:
        return {**body, **fields} if isinstance(body, dict) else body

    return change


def restatus(new: int, **fields: Any) -> Callable[[Scope, int, Headers, bytes], Any]:
    """A new HTTP status with the body's statusCode (and ``fields``) kept consistent."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        try:
            data = json.loads(body)
        except ValueError:
            return new, headers, body
        if isinstance(data, dict) and "statusCode" in data:
            data = {**data, "statusCode": new, **fields}
        encoded = json.dumps(data).encode()
        kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        return new, [*kept, (b"content-length", str(len(encoded)).encode())], encoded

    return rewrite


WIRE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "turris-request-id-uppercase-env",
        "TRS-ENV-REQUESTID-FORMAT",
        "requestId says DEV-<uuid> in upper case on error responses only",
        json_field("requestId", lambda v: str(v).replace("dev-", "DEV-", 1), when=on_errors),
    ),
    Fault(
        "turris-error-extra-message-key-on-404",
        "TRS-ERR-SHAPE",
        "404 bodies add a top-level message key beside the documented error fields",
        rewrite_json(_set(message="Not Found"), when=on_status(404)),
    ),
    Fault(
        "turris-error-request-id-dropped-on-400",
        "TRS-ERR-SHAPE",
        "400 bodies lose their requestId (success bodies keep it)",
        rewrite_json(_drop("requestId"), when=on_status(400)),
    ),
    Fault(
        "turris-error-type-404-resource-not-found",
        "TRS-ERR-TYPES",
        "404 bodies say errorType resource_not_found instead of not_found",
        json_field("errorType", lambda v: "resource_not_found", when=on_status(404)),
    ),
    Fault(
        "turris-error-type-401-invalid-token",
        "TRS-ERR-TYPES",
        "401 bodies say errorType invalid_token instead of unauthorized",
        json_field("errorType", lambda v: "invalid_token", when=on_status(401)),
    ),
    Fault(
        "turris-unknown-association-400",
        "TRS-ERR-NOT-FOUND",
        "an unknown association id answers 400 invalid_input instead of 404 not_found",
        rewriter(restatus(400, errorType="invalid_input"), when=on_status(404) & ONE),
    ),
    Fault(
        "turris-add-answers-200",
        "TRS-STATUS-SUCCESS",
        "adding an association answers 200 (statusCode 200) instead of 201 Created",
        rewriter(restatus(200), when=on_status(201) & ADD),
    ),
    Fault(
        "turris-association-read-201",
        "TRS-STATUS-SUCCESS",
        "reading one association answers 201 (statusCode 201) instead of 200",
        rewriter(restatus(201), when=on_status(200) & ONE),
    ),
    Fault(
        "turris-bad-id-409",
        "TRS-STATUS-CODES",
        "a malformed association id answers 409 Conflict, a status the document does not list",
        rewriter(restatus(409), when=on_status(400) & ONE),
    ),
    Fault(
        "turris-errors-text-plain",
        "TRS-TRANSPORT-JSON",
        "error responses are labelled text/plain although the body is JSON",
        replace_header("content-type", lambda v: "text/plain; charset=utf-8", when=on_errors),
    ),
    Fault(
        "turris-agent-read-labelled-html",
        "TRS-TRANSPORT-JSON",
        "reading one agent labels its JSON body text/html (a template route's default); "
        "every other route says application/json",
        replace_header("content-type", lambda v: "text/html; charset=utf-8", when=AGENT),
    ),
    Fault(
        "turris-429-body-without-error-type",
        "TRS-RL-EXCEEDED",
        "429 bodies say errorType too_many_requests instead of rate_limit_exceeded",
        json_field("errorType", lambda v: "too_many_requests", when=on_status(429)),
    ),
)
