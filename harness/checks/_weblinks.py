"""Link headers (RFC 8288, section 3) and URLs: parsing link-values, relation types,
absolute URLs, comparing URLs. I/O-free; shared by every check that reads a Link header
(pagination, JSON-P meta).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, parse_qsl, urlsplit

__all__ = [
    "LinkValue",
    "is_absolute",
    "parse_link_header",
    "query_value",
    "relations",
    "same_url",
]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


@dataclass(frozen=True)
class LinkValue:
    """One ``<url>; rel="next"; ...`` of a Link header (parameter names lower-cased)."""

    url: str
    params: Mapping[str, str]

    @property
    def rels(self) -> tuple[str, ...]:
        return tuple(r.lower() for r in self.params.get("rel", "").split())


def _quoted(text: str, start: int) -> tuple[str, int]:
    """A quoted-string starting at ``text[start] == '"'``: its value and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise ValueError("unterminated quoted string")


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def parse_link_header(text: str) -> tuple[list[LinkValue], list[str]]:
    """The link-values of a Link header and the syntax errors met (RFC 8288, section 3)."""
    links: list[LinkValue] = []
    errors: list[str] = []
    i, n = 0, len(text)
    while True:
        i = _skip_ws(text, i)
        if i >= n:
            break
        if text[i] == ",":  # empty list elements are allowed
            i += 1
            continue
        if text[i] != "<":
            errors.append(f"expected '<' at character {i}: {text[i : i + 30]!r}")
            break
        end = text.find(">", i)
        if end < 0:
            errors.append(f"unterminated '<' at character {i}")
            break
        url = text[i + 1 : end].strip()
        i = end + 1
        params: dict[str, str] = {}
        try:
            i = _link_params(text, i, params)
        except ValueError as exc:
            errors.append(f"link <{url}>: {exc}")
            break
        if not url:
            errors.append("a link-value has an empty URI reference")
        links.append(LinkValue(url, params))
    return links, errors


def _link_params(text: str, i: int, params: dict[str, str]) -> int:
    """Parse ``; name=value`` parameters from ``i``; returns the index after the value."""
    n = len(text)
    while True:
        i = _skip_ws(text, i)
        if i >= n:
            return i
        if text[i] == ",":
            return i + 1
        if text[i] != ";":
            raise ValueError(f"expected ';' or ',' at character {i}: {text[i : i + 30]!r}")
        i = _skip_ws(text, i + 1)
        match = _TOKEN.match(text, i)
        if not match:
            raise ValueError(f"expected a parameter name at character {i}")
        name = match.group(0).lower()
        i = _skip_ws(text, match.end())
        value = ""
        if i < n and text[i] == "=":
            i = _skip_ws(text, i + 1)
            if i < n and text[i] == '"':
                value, i = _quoted(text, i)
            else:
                token = _TOKEN.match(text, i)
                if not token:
                    raise ValueError(f"parameter {name!r} has no valid value")
                value, i = token.group(0), token.end()
        params.setdefault(name, value)  # only the first occurrence counts (RFC 8288 3.3)


def relations(links: Iterable[LinkValue]) -> dict[str, str]:
    """relation type -> URL (the first link naming it)."""
    found: dict[str, str] = {}
    for link in links:
        for rel in link.rels:
            found.setdefault(rel, link.url)
    return found


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme) and bool(parts.netloc)


def query_value(url: str, name: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None


def same_url(a: str, b: str, ignore: tuple[str, ...] = ()) -> bool:
    """Two URLs name the same resource (query order and ``ignore``-d parameters aside)."""

    def key(url: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        parts = urlsplit(url)
        query = sorted((k, v) for k, v in parse_qsl(parts.query) if k not in ignore)
        return parts.netloc.lower(), parts.path.rstrip("/"), tuple(query)

    return key(a) == key(b)
