"""Every form a secret can take on its way to an output.

A credential leaves the harness raw (a header, a JSON body), URL-encoded (a query string),
base64-encoded inside ``user:password`` (Basic), and comes back in whatever form a server
echoes it: JSON-escaped (``\\/`` included), HTML-escaped, as a Python ``repr`` inside an
error message. :func:`text_forms` lists the textual forms of one value and
:func:`base64_forms` the pieces of its base64 encoding that are the same wherever the value
sits in the encoded bytes (at each of the three byte alignments).
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

__all__ = ["MIN_LENGTH", "Base64Form", "base64_forms", "text_forms"]

MIN_LENGTH = 3  # a shorter value would mask half of every text; it is not masked
_ESCAPE = re.compile(r"%[0-9A-F]{2}")


def _lower_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda m: m.group(0).lower(), text)


def text_forms(value: str) -> set[str]:
    """The value raw, URL-encoded, JSON-escaped, HTML-escaped and as Python reprs."""
    forms = {value}
    for encoded in (
        quote(value, safe=""),
        quote(value, safe="/:@"),
        quote_plus(value, safe=""),
        quote_plus(value, safe="/:@"),
    ):
        forms |= {encoded, _lower_escapes(encoded)}
    for escaped in (json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]):
        forms |= {escaped, escaped.replace("/", "\\/")}
    forms |= {html.escape(value), html.escape(value, quote=False)}
    forms |= {repr(value)[1:-1], ascii(value)[1:-1], repr(value.encode("utf-8"))[2:-1]}
    return {f for f in forms if len(f) >= MIN_LENGTH}


@dataclass(frozen=True)
class Base64Form:
    """The characters of an encoding fully given by the value's bytes (``core``), and
    whether one more character on each side carries some of its bits."""

    core: str
    partial_left: bool
    partial_right: bool


def base64_forms(value: str, min_core: int = 6) -> list[Base64Form]:
    """The value's base64 (and URL-safe base64) at byte offsets 0, 1 and 2 of a group.

    A value encoded inside a longer string (``user:password``) starts at one of three
    offsets within a 3-byte group; at each, the characters between its first and last
    whole 6-bit unit depend on the value alone.
    """
    raw = value.encode("utf-8")
    found: list[Base64Form] = []
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode("ascii")
        start_bit, end_bit = 8 * offset, 8 * (offset + len(raw))
        first, last = -(-start_bit // 6), end_bit // 6
        core = encoded[first:last]
        if len(core) < min_core:
            continue
        left, right = start_bit % 6 != 0, end_bit % 6 != 0
        found.append(Base64Form(core, left, right))
        urlsafe = core.translate(str.maketrans("+/", "-_"))
        if urlsafe != core:
            found.append(Base64Form(urlsafe, left, right))
    return found
