"""Shared pieces of the rules_a vendor-behaviour checks (the checks live in rules_a_*.py).

Everything here is driven by the profile: its ``[features.*]`` tables, operations and
pagination. Nothing names a vendor or a clause id; a check linked to several clauses of
one vendor picks the broken one by what the clause's summary is about (:func:`clause_about`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from harness.checks._context import CheckContext
from harness.checks._ops import call, fetch_object, items_of, page_params
from harness.client import Exchange
from harness.profiles import Operation, Profile

__all__ = [
    "clause_about",
    "feature",
    "fetch_object",
    "is_success",
    "list_page",
    "loosely",
    "object_operation",
    "parse_link",
    "requires",
    "shown",
    "split_example",
    "walk",
]

Applies = Callable[[Profile], str | None]


def feature(profile: Profile, name: str) -> Mapping[str, Any]:
    """The ``[features.<name>]`` table of a profile (empty when the document has none)."""
    return profile.features.get(name) or {}


def requires(*names: str) -> Applies:
    """An ``applies=`` that skips profiles lacking any of the named feature tables."""

    def applies(profile: Profile) -> str | None:
        for name in names:
            if not profile.features.get(name):
                return f"the profile documents no [features.{name}] behaviour"
        return None

    return applies


def clause_about(ctx: CheckContext, word: str, *others: str) -> str | None:
    """The linked clause whose summary mentions ``word`` and none of ``others``.

    None when no single clause fits (the finding then names every linked clause).
    """

    def mentions(text: str, term: str) -> bool:
        return re.search(rf"\b{re.escape(term.lower())}\b", text.lower()) is not None

    fits = [
        c.id
        for c in ctx.clauses
        if mentions(c.summary, word) and not any(mentions(c.summary, o) for o in others)
    ]
    return fits[0] if len(fits) == 1 else None


def is_success(exchange: Exchange) -> bool:
    return 200 <= exchange.status < 300


def shown(values: list[str], limit: int = 5) -> str:
    """A short list for a finding message."""
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return "; ".join(values[:limit]) + more


def split_example(example: str) -> tuple[str, dict[str, str]]:
    """``/sites?fields=name`` -> (``/sites``, ``{"fields": "name"}``)."""
    path, _, query = example.partition("?")
    return path, dict(parse_qsl(query, keep_blank_values=True))


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, str | int, Any]]:
    """Every (pointer, key, value) below a JSON value, depth first."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{pointer}/{key}"
            yield here, str(key), value
            yield from walk(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            here = f"{pointer}/{index}"
            yield here, index, value
            yield from walk(value, here)


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


_LINK_PART = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,="]+(?:=\s*(?:"[^"]*"|[^;,"]*))?)*)')
_LINK_PARAM = re.compile(r';\s*([A-Za-z0-9!#$&+.^_`|~-]+)\s*=\s*("([^"]*)"|[^;,\s]*)')


def parse_link(header: str) -> list[tuple[str, dict[str, str]]]:
    """An RFC 8288 Link header as ``[(url, {param: value})]`` in header order."""
    links: list[tuple[str, dict[str, str]]] = []
    for match in _LINK_PART.finditer(header or ""):
        params: dict[str, str] = {}
        for p in _LINK_PARAM.finditer(match.group(2)):
            value = p.group(3) if p.group(3) is not None else p.group(2)
            params[p.group(1).lower()] = value
        links.append((match.group(1).strip(), params))
    return links


def same_url(a: str, b: str, ignore: tuple[str, ...] = ()) -> bool:
    """Two URLs name the same resource (query order and ``ignore``-d parameters aside)."""

    def key(url: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        parts = urlsplit(url)
        query = sorted((k, v) for k, v in parse_qsl(parts.query) if k not in ignore)
        return parts.netloc.lower(), parts.path.rstrip("/"), tuple(query)

    return key(a) == key(b)


def list_page(ctx: CheckContext, op: Operation, size: int | None = None) -> Exchange:
    """The first page of a collection (``size`` records a page), once per run."""
    key = f"rules_a:page:{op.id}:{size}"
    if key not in ctx.cache:
        paging = page_params(ctx.profile.pagination, None, size) if size else None
        ctx.cache[key] = call(ctx, op, paging=paging or None)
    found: Exchange = ctx.cache[key]
    return found


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
