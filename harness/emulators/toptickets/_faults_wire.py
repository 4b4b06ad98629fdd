"""TopTickets middleware faults added for issue 14: response rewrites, most of them on
some responses only (one operation, some statuses, one in N)."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    When,
    every_nth,
    json_field,
    on_operation,
    on_status,
    replace_header,
    rewrite_json,
    set_header,
    set_status,
)
from harness.emulators.toptickets._data import FIRST_TICKET_NUMBER, TICKETS

_TICKETS = "/v1/tickets"
_TICKET = "/v1/tickets/{ticket_id}"


def _wrapped(key: str) -> Any:
    return lambda body, scope, status: {key: body} if status == 200 else body


def _legacy_wrapped(body: Any, scope: Scope, status: int) -> Any:
    """Seeded (imported) tickets come wrapped by an older serializer; new ones are bare."""
    number = body.get("ticket_number") if isinstance(body, dict) else None
    if status == 200 and isinstance(number, int) and number < FIRST_TICKET_NUMBER + TICKETS:
        return {"ticket": body}
    return body


def _unfiltered_by_status(scope: Scope, status: int) -> bool:
    return b"status=" not in scope.get("query_string", b"")


def _detail_object(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, dict) and "detail" in body:
        return {"detail": {"errors": body["detail"]}}
    return body


def _message_key(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, dict) and "detail" in body:
        return {"message": body["detail"]}
    return body


def _without_delete(body: Any, scope: Scope, status: int) -> Any:
    if isinstance(body, dict) and isinstance(body.get("paths"), dict):
        item = body["paths"].get(_TICKET.removeprefix("/v1"))
        if isinstance(item, dict):
            item.pop("delete", None)
    return body


def _short_token(value: Any) -> Any:
    return value.replace("-", "")[:16] if isinstance(value, str) else value


def _no_hyphens(value: Any) -> Any:
    return value.replace("-", "") if isinstance(value, str) else value


def _status_in_progress(value: Any) -> Any:
    return "in_progress" if value == "open" else value


def _local_time(value: Any) -> Any:
    if isinstance(value, str) and value.endswith("Z"):
        return value[:-1] + "+02:00"
    return value


WIRE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "toptickets-404-text-plain",
        "TOP-ENV-JSON",
        "404 responses are labelled Content-Type: text/plain (the body is still JSON)",
        set_header("content-type", lambda s, st, old: "text/plain", when=on_status(404)),
    ),
    Fault(
        "toptickets-ticket-get-wrapped",
        "TOP-ENV-OBJECT",
        "GET /tickets/{id} wraps the tickets that existed before (imported ones) as "
        '{"ticket": {...}}; new tickets and lists are bare',
        rewrite_json(_legacy_wrapped, when=on_operation("GET", _TICKET)),
    ),
    Fault(
        "toptickets-teams-list-wrapped",
        "TOP-ENV-LIST",
        'GET /teams alone wraps its array as {"teams": [...]}',
        rewrite_json(_wrapped("teams"), when=on_operation("GET", "/v1/teams")),
    ),
    Fault(
        "toptickets-422-detail-object",
        "TOP-ERR-422-SHAPE",
        '422 bodies nest the problems as {"detail": {"errors": ...}}: neither documented form',
        rewrite_json(_detail_object, when=on_status(422)),
    ),
    Fault(
        "toptickets-403-message-key",
        "TOP-ERR-DETAIL",
        '403 bodies carry {"message": ...} instead of {"detail": ...}',
        rewrite_json(_message_key, when=on_status(403)),
    ),
    Fault(
        "toptickets-create-200",
        "TOP-STATUS-201",
        "POST /tickets answers 200 instead of 201 Created",
        set_status(lambda st, s: 200 if st == 201 else st, when=on_operation("POST", _TICKETS)),
    ),
    Fault(
        "toptickets-customer-id-no-hyphens",
        "TOP-DATA-UUID",
        "one ticket list response in three gives customer_id as 32 hex digits without hyphens",
        json_field("customer_id", _no_hyphens, when=every_nth(3, on_operation("GET", _TICKETS))),
    ),
    Fault(
        "toptickets-open-shown-as-in-progress",
        "TOP-DATA-ENUM",
        "the ticket list, unless filtered by status, reports open tickets as in_progress "
        "(an undocumented value)",
        json_field(
            "status",
            _status_in_progress,
            when=on_operation("GET", _TICKETS) & When(lambda: _unfiltered_by_status, "unfiltered"),
        ),
    ),
    Fault(
        "toptickets-ticket-get-local-time",
        "TOP-DATA-UTC",
        "GET /tickets/{id} gives its timestamps with a +02:00 offset instead of Z",
        rewrite_json(
            lambda body, scope, status: (
                {k: _local_time(v) for k, v in body.items()}
                if isinstance(body, dict) and status == 200
                else body
            ),
            when=on_operation("GET", _TICKET),
        ),
    ),
    Fault(
        "toptickets-429-message-key",
        "TOP-RL-429",
        '429 bodies carry {"message": ...} instead of the documented {"detail": ...}',
        rewrite_json(_message_key, when=on_status(429)),
    ),
    Fault(
        "toptickets-retry-after-fraction",
        "TOP-RL-RETRY-AFTER",
        "Retry-After is a fraction of seconds (e.g. 30.5) instead of whole seconds",
        replace_header("retry-after", lambda v: f"{v}.5", when=on_status(429)),
    ),
    Fault(
        "toptickets-openapi-no-delete",
        "TOP-OPENAPI-SPEC",
        "the OpenAPI document leaves out DELETE /tickets/{ticket_id}",
        rewrite_json(_without_delete, when=on_operation("GET", "/v1/openapi.json")),
    ),
    Fault(
        "toptickets-tracking-token-short",
        "TOP-TICKET-FIELDS",
        "ticket lists give tracking_token as 16 hex digits instead of a UUID",
        json_field("tracking_token", _short_token, when=on_operation("GET", _TICKETS)),
    ),
)

__all__ = ["WIRE_FAULTS"]
