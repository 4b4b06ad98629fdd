"""The OpenAPI 3.1 document served at /v1/openapi.json, built from the project's schemas.

OpenAPI 3.1 schema objects are JSON Schema 2020-12, so the vendor's ``*.schema.json``
files are copied into ``components/schemas`` with their cross-file ``$ref``s rewritten
to ``#/components/schemas/<Name>`` (a small bundler: no remote references remain).
"""

from __future__ import annotations

import copy
from typing import Any

from harness.validation import default_store

VENDOR = "toptickets"
PAGE_DEFAULT = 100
PAGE_MAX = 500

# schema file -> component name
FILES = {
    "ticket.schema.json": "Ticket",
    "ticket-list.schema.json": "TicketList",
    "ticket-create.schema.json": "TicketCreate",
    "ticket-update.schema.json": "TicketUpdate",
    "comment.schema.json": "Comment",
    "comment-list.schema.json": "CommentList",
    "customer.schema.json": "Customer",
    "customer-list.schema.json": "CustomerList",
    "team.schema.json": "Team",
    "team-list.schema.json": "TeamList",
    "user.schema.json": "User",
    "user-list.schema.json": "UserList",
    "error.schema.json": "Error",
    "error-422.fastapi.schema.json": "HTTPValidationError",
    "error-422.document.schema.json": "ValidationMessage",
    "error-429.schema.json": "RateLimitError",
    "key-test.schema.json": "KeyTest",
}
DEFS_FILE = "defs.schema.json"
# defs.schema.json#/$defs/<key> -> component name
DEFS = {
    "uuid": "Uuid",
    "uuid_or_null": "UuidOrNull",
    "timestamp": "Timestamp",
    "timestamp_or_null": "TimestampOrNull",
    "ticket_status": "TicketStatus",
    "ticket_priority": "TicketPriority",
    "detail_message": "DetailMessage",
    "validation_item": "ValidationError",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _rewrite(node: Any, current_file: str) -> Any:
    """Copy a schema with every ``$ref`` pointing into components/schemas."""
    if isinstance(node, list):
        return [_rewrite(item, current_file) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$schema", "$id"):
            continue
        if key == "$ref" and isinstance(value, str):
            file, _, fragment = value.partition("#")
            file = file or current_file
            if fragment.startswith("/$defs/") and file == DEFS_FILE:
                out[key] = _ref(DEFS[fragment.removeprefix("/$defs/")])["$ref"]
            elif not fragment and file in FILES:
                out[key] = _ref(FILES[file])["$ref"]
            else:
                raise ValueError(f"{current_file}: cannot bundle $ref {value!r}")
        elif key == "$defs":
            continue
        else:
            out[key] = _rewrite(value, current_file)
    return out


def components() -> dict[str, Any]:
    """Every vendor schema the API uses, bundled for components/schemas."""
    store = default_store()
    schemas: dict[str, Any] = {}
    defs = store.schema(f"{VENDOR}/{DEFS_FILE}")["$defs"]
    for key, name in DEFS.items():
        schemas[name] = _rewrite(copy.deepcopy(defs[key]), DEFS_FILE)
    for file, name in FILES.items():
        schemas[name] = _rewrite(store.schema(f"{VENDOR}/{file}"), file)
    return dict(sorted(schemas.items()))


def _error(description: str, name: str = "Error") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _responses(code: int, ok: str, ok_body: dict[str, Any] | None, *extra: int) -> dict[str, Any]:
    """The responses of one operation: its success, then every error it can answer."""
    success: dict[str, Any] = {"description": ok}
    if ok_body is not None:
        success["content"] = {"application/json": {"schema": ok_body}}
    responses: dict[str, Any] = {str(code): success}
    if 400 in extra:
        responses["400"] = _error("Bad Request: the body is not valid JSON")
    responses["401"] = {
        **_error("Unauthorized: missing or unknown API key"),
        "headers": {"WWW-Authenticate": {"schema": {"type": "string", "const": "Bearer"}}},
    }
    responses["403"] = _error("Forbidden: the key lacks the scope (resource:action) of this call")
    if 404 in extra:
        responses["404"] = _error("Not Found: no ticket has this id")
    responses["422"] = _error("Validation error (FastAPI form)", "HTTPValidationError")
    responses["429"] = {
        **_error("Too Many Requests: the key's per-minute limit is used up", "RateLimitError"),
        "headers": {
            "Retry-After": {
                "description": "Whole seconds until the limit window resets",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    }
    responses["500"] = _error("Internal Server Error")
    return responses


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PAGING = [
    _query("offset", {"type": "integer", "minimum": 0, "default": 0}, "Number of items to skip"),
    _query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": PAGE_DEFAULT},
        "Maximum items to return (above 500: 422)",
    ),
]
TICKET_ID = {
    "name": "ticket_id",
    "in": "path",
    "required": True,
    "schema": _ref("Uuid"),
    "description": "The ticket's UUID",
}


def _list(op_id: str, summary: str, schema: str, tag: str, *extra: int) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "responses": _responses(200, "Success: a bare JSON array", _ref(schema), *extra),
    }


def _links() -> dict[str, Any]:
    by_id = {"ticket_id": "$response.body#/id"}
    return {
        "GetTicket": {"operationId": "getTicket", "parameters": by_id},
        "UpdateTicket": {"operationId": "updateTicket", "parameters": by_id},
        "DeleteTicket": {"operationId": "deleteTicket", "parameters": by_id},
        "ListTicketComments": {"operationId": "listTicketComments", "parameters": by_id},
    }


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def paths() -> dict[str, Any]:
    filters = [
        _query("status", _ref("TicketStatus"), "Only tickets with this status"),
        _query("priority", _ref("TicketPriority"), "Only tickets with this priority"),
        _query("assigned_user_id", _ref("Uuid"), "Only tickets assigned to this agent"),
        _query("assigned_team_id", _ref("Uuid"), "Only tickets assigned to this team"),
        _query("customer_id", _ref("Uuid"), "Only tickets of this customer"),
        _query("category", {"type": "string"}, "Only tickets of this category"),
        _query("unassigned", {"type": "boolean"}, "true: only tickets with no agent and no team"),
        _query(
            "search", {"type": "string"}, "Case-insensitive substring of the subject or description"
        ),
    ]
    created = _responses(201, "Created: the new ticket", _ref("Ticket"), 400)
    created["201"]["links"] = _links()
    list_tickets = _list(
        "listTickets", "List tickets (filters combine with AND)", "TicketList", "Tickets"
    )
    list_tickets["parameters"] = [*PAGING, *filters]
    comments = _list(
        "listTicketComments", "List a ticket's comments", "CommentList", "Comments", 404
    )
    comments["parameters"] = [TICKET_ID, *PAGING]
    plain = {
        "/customers": ("listCustomers", "List customers", "CustomerList", "Customers"),
        "/teams": ("listTeams", "List teams", "TeamList", "Teams"),
        "/users": ("listUsers", "List agent users", "UserList", "Users"),
    }
    result: dict[str, Any] = {
        "/tickets": {
            "get": list_tickets,
            "post": {
                "operationId": "createTicket",
                "summary": "Create a ticket",
                "tags": ["Tickets"],
                "requestBody": _body("TicketCreate"),
                "responses": created,
            },
        },
        "/tickets/{ticket_id}": {
            "parameters": [TICKET_ID],
            "get": {
                "operationId": "getTicket",
                "summary": "Get a ticket",
                "tags": ["Tickets"],
                "responses": _responses(200, "Success: the ticket", _ref("Ticket"), 404),
            },
            "patch": {
                "operationId": "updateTicket",
                "summary": "Update a ticket (partial)",
                "tags": ["Tickets"],
                "requestBody": _body("TicketUpdate"),
                "responses": _responses(
                    200, "Success: the updated ticket", _ref("Ticket"), 400, 404
                ),
            },
            "delete": {
                "operationId": "deleteTicket",
                "summary": "Delete a ticket",
                "tags": ["Tickets"],
                "responses": _responses(204, "No Content: deleted", None, 404),
            },
        },
        "/tickets/{ticket_id}/comments": {"get": comments},
        "/test": {
            "post": {
                "operationId": "testApiKey",
                "summary": "Check the API key: its name, scopes and expiry",
                "tags": ["Authentication"],
                "responses": _responses(200, "Success: the key works", _ref("KeyTest")),
            }
        },
    }
    for path, (op_id, summary, schema, tag) in plain.items():
        op = _list(op_id, summary, schema, tag)
        op["parameters"] = list(PAGING)
        result[path] = {"get": op}
    return result


def openapi_document(base_path: str, validation_errors: str = "fastapi") -> dict[str, Any]:
    """The whole OpenAPI 3.1 document; ``servers`` is the base path on this host.

    ``validation_errors="document"`` describes 422 bodies as ``{"detail": "<message>"}``
    (the emulator's option for the document reading of TOP-ERR-422-SHAPE).
    """
    described = paths()
    if validation_errors == "document":
        for item in described.values():
            for op in item.values():
                if isinstance(op, dict) and "responses" in op:
                    op["responses"]["422"] = _error("Validation error", "ValidationMessage")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "TopTickets API",
            "version": "1.0.0",
            "description": "Support-ticket API. Bearer API keys (tt_admin_: 2000 requests/"
            "minute, tt_ro_: 200/minute, read-only); offset/limit pagination over bare arrays; "
            'errors as {"detail": ...}.',
        },
        "servers": [{"url": base_path or "/", "description": "this server"}],
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": n}
            for n in ("Authentication", "Tickets", "Comments", "Customers", "Teams", "Users")
        ],
        "paths": described,
        "components": {
            "schemas": components(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer YOUR_API_KEY; scopes are "
                    "resource:action (e.g. tickets:write)",
                }
            },
        },
    }
