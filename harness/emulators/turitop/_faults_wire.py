"""TuriTop middleware faults on the wire: content headers, the envelope, error bodies.

Each rewrites the responses its condition picks and leaves the others byte for byte.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    Headers,
    every_nth,
    json_field,
    on_errors,
    on_operation,
    on_status,
    replace_header,
    rewrite_json,
    rewriter,
)

GRANT = on_operation("POST", "/v1/authorization/grant")
SERVICES = on_operation("POST", "/v1/service/getservices")


def _content_type(value: str) -> Any:
    return lambda old: value


def _error_without_message(body: Any, scope: Scope, status: int) -> Any:
    """A framework-style error: the message moved to an extra ``error`` key, message blank."""
    if isinstance(body, dict) and body.get("status") == "ERROR":
        return {**body, "message": "", "error": body.get("message")}
    return body


def _blank_message(body: Any, scope: Scope, status: int) -> Any:
    return {**body, "message": ""} if isinstance(body, dict) and "message" in body else body


def _data_renamed(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, dict) and "data" in body:
        rest = {k: v for k, v in body.items() if k != "data"}
        return {**rest, "result": body["data"]}
    return body


def _without_status(body: Any, scope: Scope, status: int) -> Any:
    return {k: v for k, v in body.items() if k != "status"} if isinstance(body, dict) else body


def _code(value: str) -> Any:
    return lambda old: value


def _as_201(scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
    """The grant answered 201 Created, its envelope code following."""
    if status != 200:
        return status, headers, body
    envelope = json.loads(body)
    return 201, headers, json.dumps({**envelope, "code": "201"}).encode()


WIRE_FAULTS: tuple[Fault, ...] = (
    # ------------------------------------------------------------ transport
    Fault(
        "turitop-text-plain-errors",
        "TURI-HTTP-JSON",
        "error responses are labelled text/plain (the JSON envelope is still sent)",
        replace_header("content-type", _content_type("text/plain; charset=utf-8"), on_errors),
    ),
    Fault(
        "turitop-html-content-type-on-grant",
        "TURI-HTTP-JSON",
        "the grant alone is labelled text/html (its body is still the JSON envelope)",
        replace_header("content-type", _content_type("text/html; charset=utf-8"), GRANT),
    ),
    Fault(
        "turitop-latin1-charset",
        "TURI-HTTP-UTF8",
        "one response in three declares charset=iso-8859-1",
        replace_header(
            "content-type", _content_type("application/json; charset=iso-8859-1"), every_nth(3)
        ),
    ),
    # ------------------------------------------------------------ envelope
    Fault(
        "turitop-data-renamed-on-services",
        "TURI-ENV-SHAPE",
        "getservices wraps its payload as 'result' instead of 'data'",
        rewrite_json(_data_renamed, SERVICES),
    ),
    Fault(
        "turitop-grant-without-status",
        "TURI-ENV-SHAPE",
        "the grant's envelope has no status field (code and data are there)",
        rewrite_json(_without_status, GRANT),
    ),
    Fault(
        "turitop-grant-status-ok",
        "TURI-ENV-STATUS",
        "the grant's envelope says status 'OK' instead of SUCCESS",
        json_field("status", _code("OK"), GRANT),
    ),
    Fault(
        "turitop-code-201-on-grant",
        "TURI-ENV-CODE",
        "the grant says code '201' on its HTTP 200",
        json_field("code", _code("201"), GRANT),
    ),
    # ------------------------------------------------------------ errors
    Fault(
        "turitop-error-message-missing",
        "TURI-ERR-SHAPE",
        "error envelopes carry an empty message and an extra top-level 'error' key",
        rewrite_json(_error_without_message, when=lambda scope, status: status >= 400),
    ),
    Fault(
        "turitop-404-message-empty",
        "TURI-ERR-SHAPE",
        "404 answers carry an empty message",
        rewrite_json(_blank_message, on_status(404)),
    ),
    # ------------------------------------------------------------ authorization
    Fault(
        "turitop-grant-201",
        "TURI-AUTH-GRANT",
        "the grant answers 201 Created (its code following) instead of the documented 200",
        rewriter(_as_201, GRANT, frozenset({"one-operation"})),
    ),
)
