"""What every check package shares: calling a profile operation generically (paths,
bodies, paging parameters, ids), the memoized reads other checks reuse, and the small
helpers of finding messages.

The memoized reads (:func:`first_record`, :func:`fetch_operation`) are computed once per
target session whichever check asks first, so a run sends each request once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl

from harness.auth import render, resolve_pointer
from harness.checks._context import CheckContext, CheckSkipped
from harness.checks._memo import memoized
from harness.client import Exchange
from harness.profiles import Operation, Pagination, Profile

__all__ = [
    "call",
    "describe",
    "fetch_ids",
    "fetch_object",
    "fetch_operation",
    "first_record",
    "is_success",
    "items_of",
    "list_operation_for",
    "list_page",
    "loosely",
    "main_read",
    "object_operation",
    "page_items",
    "page_params",
    "paged_lists",
    "placeholder",
    "public_note",
    "read_operations",
    "record_id",
    "shown",
    "split_example",
    "walk",
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


def record_id(record: Any, placeholder: str = "id", id_field: str | None = None) -> Any:
    """A record's id: at ``id_field`` (a dotted path, e.g. ``agent._id``) when given, else
    the placeholder's own field when present, else ``id``, ``_id`` or ``short_id``."""
    if not isinstance(record, Mapping):
        return None
    if id_field:
        node: Any = record
        for part in id_field.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        return node
    for key in (placeholder, "id", "_id", "short_id"):
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


@memoized
def first_record(ctx: CheckContext, listing: Operation) -> Any:
    """The first record of a list operation's default page (None when there is none).

    A list without placeholders is read through :func:`fetch_operation`, so the same
    request is sent once per session whoever asks for it."""
    plain = not _PLACEHOLDER.search(listing.path)
    exchange = fetch_operation(ctx, listing) if plain else call(ctx, listing)
    items = items_of(ctx, exchange.json()) if exchange.status < 300 else None
    return items[0] if items else None


def fetch_ids(ctx: CheckContext, op: Operation) -> dict[str, Any] | None:
    """Ids that make ``op``'s path concrete, from the first record of its list."""
    names = _PLACEHOLDER.findall(op.path)
    if not names:
        return {}
    listing = list_operation_for(ctx, op)
    if listing is None:
        return None
    record = first_record(ctx, listing)
    if record is None:
        return None
    value = record_id(record, names[-1], listing.id_field)
    return {names[-1]: value} if value is not None else None


@memoized
def fetch_operation(ctx: CheckContext, op: Operation) -> Exchange:
    """A read operation called with concrete ids (skips when its collection is empty)."""
    ids = fetch_ids(ctx, op)
    if ids is None:
        ctx.skip(f"no record to fetch {op.path} with: its collection came back empty")
    return call(ctx, op, ids=ids)


def fetch_object(ctx: CheckContext, op: Operation) -> Exchange | None:
    """:func:`fetch_operation`, or None where it cannot be made concrete."""
    try:
        return fetch_operation(ctx, op)
    except CheckSkipped:
        return None


def main_read(profile: Profile) -> Operation:
    """The main read operation (the main collection), else the first read operation."""
    main = profile.main_operation
    if read_operations(main):
        return main
    return next(o for o in profile.operations if read_operations(o))


def split_example(example: str) -> tuple[str, dict[str, str]]:
    """``/sites?fields=name`` -> (``/sites``, ``{"fields": "name"}``)."""
    path, _, query = example.partition("?")
    return path, dict(parse_qsl(query, keep_blank_values=True))


def loosely(value: Any) -> Any:
    """A JSON value with every scalar as text: compares content, not JSON types."""
    if isinstance(value, Mapping):
        return {str(k): loosely(v) for k, v in value.items()}
    if isinstance(value, list):
        return [loosely(v) for v in value]
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@memoized
def list_page(ctx: CheckContext, op: Operation, size: int | None = None) -> Exchange:
    """The first page of a collection (``size`` records a page)."""
    paging = page_params(ctx.profile.pagination, None, size) if size else None
    return call(ctx, op, paging=paging or None)


def page_items(ctx: CheckContext, exchange: Exchange) -> list[Any] | None:
    """The records of a successful list answer (None when it is not a list)."""
    if not is_success(exchange):
        return None
    return items_of(ctx, exchange.json())


def object_operation(ctx: CheckContext, collection: str) -> Operation | None:
    """The documented read of one record of ``collection`` (``GET /things/{id}``)."""
    for op in ctx.profile.operations:
        if (
            op.kind == "object"
            and not op.write
            and op.method == "GET"
            and re.fullmatch(re.escape(collection) + r"/\{[A-Za-z_][A-Za-z0-9_]*\}", op.path)
        ):
            return op
    return None


def placeholder(op: Operation) -> str:
    """The last ``{placeholder}`` of an operation path (``id`` when there is none)."""
    names = re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", op.path)
    return names[-1] if names else "id"


# ---------------------------------------------------------------- judging and messages
def is_success(exchange: Exchange) -> bool:
    return 200 <= exchange.status < 300


def describe(exchange: Exchange) -> str:
    """``GET /path -> 200`` for messages."""
    path = exchange.url.split("://", 1)[-1]
    path = "/" + path.split("/", 1)[1] if "/" in path else path
    return f"{exchange.method} {path.split('?', 1)[0]} -> {exchange.status}"


def shown(values: list[str], limit: int = 5) -> str:
    """A short list for a finding message."""
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return "; ".join(values[:limit]) + more


def public_note(ctx: CheckContext, aspect: str | tuple[str, ...] = ()) -> str:
    """A sentence for findings (about ``aspect``) whose clauses all rest on public
    material only."""
    aspects = (aspect,) if isinstance(aspect, str) else aspect
    linked = ctx.session.routing.route(ctx.check, aspects) if aspects else ctx.clauses
    if linked and all(c.source == "public-facts" for c in linked):
        return (
            " (the expectation comes from public material (PUBLIC-FACTS), not the vendor's "
            "document; it is checked leniently)"
        )
    return ""


def walk(
    node: Any, pointer: str = "", *, list_items: bool = True
) -> Iterator[tuple[str, str | int, Any]]:
    """Every (pointer, key, value) below a JSON value, depth first; with ``list_items``
    false, only object members (list entries are descended into, not yielded)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{pointer}/{key}"
            yield here, str(key), value
            yield from walk(value, here, list_items=list_items)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            here = f"{pointer}/{index}"
            if list_items:
                yield here, index, value
            yield from walk(value, here, list_items=list_items)
