"""The TopTickets fault catalog: each fault breaks exactly one clause of clauses.toml.

The first ten faults are here; the app's switch faults added later are in
``_faults_app`` (their names in ``_fault_switches``), the response rewrites in
``_faults_wire``. :data:`FAULTS` is all of them.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.types import Scope

from harness.emulators._faults import Fault, drop_header, rewrite_json
from harness.emulators.toptickets._fault_switches import (
    DELETE_200,
    ENUM_FILTER_EMPTY,
    FILTERS_OR,
    LIMIT_CAPPED,
    OFFSET_SKIPS,
    RO_WRITE_401,
)
from harness.emulators.toptickets._faults_app import APP_FAULTS
from harness.emulators.toptickets._faults_wire import WIRE_FAULTS

__all__ = [
    "DELETE_200",
    "ENUM_FILTER_EMPTY",
    "ERROR_KEY",
    "FAULTS",
    "FILTERS_OR",
    "LIMIT_CAPPED",
    "LIST_WRAPPED",
    "NO_RETRY_AFTER",
    "OFFSET_SKIPS",
    "RO_WRITE_401",
    "UTC_OFFSET",
]

# Middleware faults of the original catalog (its switch faults are in _fault_switches).
LIST_WRAPPED = "toptickets-list-wrapped"
UTC_OFFSET = "toptickets-timestamps-plus-offset"
ERROR_KEY = "toptickets-error-key"
NO_RETRY_AFTER = "toptickets-429-no-retry-after"

_TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z$")


def _api(scope: Scope) -> bool:
    """A vendor API call (not the OpenAPI document or the docs page)."""
    path = str(scope.get("path", ""))
    return not path.endswith("/openapi.json") and not path.startswith("/docs")


def _wrap_list(body: Any, scope: Scope, status: int) -> Any:
    return {"items": body} if isinstance(body, list) else body


def _plus_offset(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, list):
        return [_plus_offset(item, scope, status) for item in body]
    if isinstance(body, dict):
        return {k: _plus_offset(v, scope, status) for k, v in body.items()}
    if isinstance(body, str) and _TIMESTAMP.match(body):
        return body[:-1] + "+00:00"
    return body


def _error_key(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return {"error": body["detail"]}
    return body


_ORIGINAL: tuple[Fault, ...] = (
    Fault(
        LIST_WRAPPED,
        "TOP-ENV-LIST",
        'list endpoints wrap the array as {"items": [...]}',
        rewrite_json(_wrap_list, when=lambda s, st: st == 200 and _api(s)),
    ),
    Fault(
        OFFSET_SKIPS,
        "TOP-PAGE-OFFSET",
        "a non-zero offset skips one record more than asked (offset+1)",
    ),
    Fault(LIMIT_CAPPED, "TOP-PAGE-LIMIT", "limit above 100 is silently served as 100 records"),
    Fault(
        FILTERS_OR,
        "TOP-FILTER-COMBINED",
        "status and priority given together combine with OR instead of AND",
    ),
    Fault(
        UTC_OFFSET,
        "TOP-DATA-UTC",
        "timestamps end with +00:00 instead of the Z designator",
        rewrite_json(_plus_offset, when=lambda s, st: st < 300 and _api(s)),
    ),
    Fault(
        RO_WRITE_401,
        "TOP-AUTH-403",
        "a valid read-only key attempting a write gets 401 Invalid API key instead of 403",
    ),
    Fault(
        DELETE_200,
        "TOP-STATUS-204",
        "DELETE /tickets/{id} answers 200 with the deleted ticket instead of 204",
    ),
    Fault(
        ERROR_KEY,
        "TOP-ERR-DETAIL",
        'errors (400/401/403/404/405/500) carry {"error": ...} instead of {"detail": ...}',
        rewrite_json(_error_key, when=lambda s, st: st >= 400 and st not in (422, 429)),
    ),
    Fault(
        NO_RETRY_AFTER,
        "TOP-RL-RETRY-AFTER",
        "429 responses lack the Retry-After header",
        drop_header("retry-after", when=lambda s, st: st == 429),
    ),
    Fault(
        ENUM_FILTER_EMPTY,
        "TOP-DATA-ENUM-422",
        "an unknown status/priority filter value answers 200 [] instead of 422",
    ),
)

FAULTS: tuple[Fault, ...] = (*_ORIGINAL, *APP_FAULTS, *WIRE_FAULTS)
