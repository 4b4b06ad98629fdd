"""Shared pieces of the rules_a vendor-behaviour checks (the checks live in rules_a_*.py).

Everything here is driven by the profile: its ``[features.*]`` tables, operations and
pagination. Nothing names a vendor or a clause id; a check linked to several clauses of
one vendor picks the broken one by what the clause's summary is about (:func:`clause_about`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import (  # re-exported until the rules_a modules are gone
    fetch_object,
    list_page,
    loosely,
    object_operation,
    page_items,
    placeholder,
    split_example,
)
from harness.checks._weblinks import same_url
from harness.client import Exchange
from harness.profiles import Profile

__all__ = [
    "clause_about",
    "feature",
    "fetch_object",
    "is_success",
    "list_page",
    "loosely",
    "object_operation",
    "page_items",
    "parse_link",
    "placeholder",
    "requires",
    "same_url",
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
