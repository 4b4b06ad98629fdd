"""Calling a profile operation generically: paths, bodies, paging parameters, ids."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from harness.auth import render, resolve_pointer
from harness.checks._context import CheckContext
from harness.client import Exchange
from harness.profiles import Operation, Pagination

__all__ = [
    "call",
    "items_of",
    "list_operation_for",
    "page_params",
    "paged_lists",
    "read_operations",
    "record_id",
]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def read_operations(op: Operation) -> bool:
    """Operations that only read (listed, fetched, or read-only actions)."""
    return not op.write and op.kind in ("list", "object")


def paged_lists(op: Operation) -> bool:
    return op.kind == "list" and op.paged and not op.write


def list_operation_for(ctx: CheckContext, op: Operation) -> Operation | None:
    """The list operation whose path is the collection of ``op``.

    ``/people`` for ``/people/{id}``.
    """
    prefix = op.path.split("/{", 1)[0]
    for candidate in ctx.profile.operations:
        if candidate.kind == "list" and candidate.path == prefix and not candidate.write:
            return candidate
    return None


def items_of(ctx: CheckContext, body: Any) -> list[Any] | None:
    """The records of a list response, per the profile's ``items_pointer``."""
    pointer = ctx.profile.pagination.items_pointer
    found = resolve_pointer(body, pointer) if pointer else body
    return found if isinstance(found, list) else None


def record_id(record: Any, placeholder: str = "id") -> Any:
    """A record's id: the placeholder's own field when present, else ``id``."""
    if not isinstance(record, Mapping):
        return None
    for key in (placeholder, "id", "short_id"):
        if key in record:
            return record[key]
    return None


def page_params(pagination: Pagination, page: int | None, size: int | None) -> dict[str, Any]:
    """Paging fields for one request (page-number styles; offset pages count from 0)."""
    params: dict[str, Any] = {}
    if pagination.style in ("page", "link", "body"):
        if page is not None and pagination.page_param:
            params[pagination.page_param] = page
        if size is not None and pagination.size_param:
            params[pagination.size_param] = size
    elif pagination.style == "offset" and size is not None:
        if pagination.offset_param and page is not None:
            params[pagination.offset_param] = page * size
        if pagination.size_param:
            params[pagination.size_param] = size
    return params


def _set_pointer(body: dict[str, Any], pointer: str, values: Mapping[str, Any]) -> None:
    node: Any = body
    for part in [p for p in pointer.split("/") if p]:
        node = node.setdefault(part, {})
    node.update(values)


def call(
    ctx: CheckContext,
    op: Operation,
    *,
    ids: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    paging: Mapping[str, Any] | None = None,
    body: Any = None,
    auth: Any = "default",
    headers: Mapping[str, str] | None = None,
) -> Exchange:
    """Send ``op`` with its documented request shape.

    ``ids`` fill ``{placeholders}`` of the path; ``paging`` goes where the profile puts
    paging fields (query, or the JSON body at ``body_path``); ``body`` replaces the
    operation's body template.
    """
    values = _Blank({k: str(v) for k, v in (ids or {}).items()})
    path = _PLACEHOLDER.sub(lambda m: values[m.group(1)], op.path)
    query: dict[str, Any] = dict(params or {})
    json_body: Any = body
    if json_body is None and op.body:
        json_body = render(dict(op.body), _Blank())
    pagination = ctx.profile.pagination
    if paging:
        if pagination.location == "body":
            json_body = dict(json_body or {})
            _set_pointer(json_body, pagination.body_path or "", paging)
        else:
            query.update(paging)
    if json_body is None and op.method in ("POST", "PUT", "PATCH") and op.body:
        json_body = {}
    return ctx.client.request(
        op.method,
        path,
        params=query or None,
        json=json_body,
        headers=headers,
        auth=auth,
        operation=op.id,
        write=op.write,
    )


def fetch_ids(ctx: CheckContext, op: Operation) -> dict[str, Any] | None:
    """Ids that make ``op``'s path concrete, from the first record of its list (cached)."""
    names = _PLACEHOLDER.findall(op.path)
    if not names:
        return {}
    listing = list_operation_for(ctx, op)
    if listing is None:
        return None
    key = f"first-record:{listing.id}"
    if key not in ctx.cache:
        exchange = call(ctx, listing)
        items = items_of(ctx, exchange.json()) if exchange.status < 300 else None
        ctx.cache[key] = items[0] if items else None
    record = ctx.cache[key]
    if record is None:
        return None
    value = record_id(record, names[-1])
    return {names[-1]: value} if value is not None else None
