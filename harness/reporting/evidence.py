"""Evidence as a partner reads it: the exchange that broke a clause, with the place marked.

:func:`evidence_block` turns one :class:`~harness.findings.Evidence` of a finding into
lines: the request line, every request and response header (already redacted) and the
bodies, complete up to :data:`~harness.findings.EVIDENCE_BODY_LIMIT` characters (a cut
body says how much was left out). JSON bodies are pretty-printed, and the lines at the
JSON pointers the finding names (``/0/id``, ``/data/3/created_at``) are marked, as are
the headers the finding is about (named in it, or holding a URL it quotes).

Vendor content never leaves its block: :func:`md_text`, :func:`md_code` and
:func:`md_fence` escape it for Markdown (a body cannot close its fence or start an
image or link), :func:`html_lines` for HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jsonpointer

from harness.findings import EVIDENCE_BODY_LIMIT, Evidence, Finding

__all__ = [
    "EvidenceBlock",
    "Line",
    "body_lines",
    "evidence_block",
    "html_lines",
    "md_code",
    "md_fence",
    "md_text",
    "pointers_in",
]

_CUT = re.compile(r"\.\.\. \[(\d+) more characters\]\Z")
_POINTER = re.compile(r"(?<![\w:/.\-])(/[^\s/'\"=,;:()\[\]<>]*(?:/[^\s/'\"=,;:()\[\]<>]*)*)")
_URL = re.compile(r"https?://[^\s'\"<>]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|&~#])")


@dataclass(frozen=True)
class Line:
    text: str
    marked: bool = False


@dataclass(frozen=True)
class EvidenceBlock:
    """One exchange of a finding, ready to render."""

    title: str  # "GET https://... answered 200"
    request: tuple[Line, ...]  # request line, headers, blank, body
    response: tuple[Line, ...]  # status line, headers, blank, body
    body_note: str  # how complete the response body is
    pointers: tuple[str, ...]  # the JSON pointers marked in the body
    note: str = ""


def _clean(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def pointers_in(text: str) -> list[str]:
    """JSON pointers a finding's text names (candidates; kept only where they resolve)."""
    found = []
    for match in _POINTER.finditer(text):
        pointer = match.group(1).rstrip(".")
        if len(pointer) > 1 and pointer not in found:
            found.append(pointer)
    return found


_ABSENT = object()


def _resolves(document: Any, pointer: str) -> bool:
    """Whether ``pointer`` names a member of ``document`` (a JSON null counts)."""
    try:
        return jsonpointer.resolve_pointer(document, pointer, _ABSENT) is not _ABSENT
    except jsonpointer.JsonPointerException:  # not a pointer at all
        return False


def _escape_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _pretty(value: Any, pointer: str, prefix: str, depth: int) -> Iterator[tuple[str, str]]:
    """``json.dumps(indent=2)`` as (line, pointer of the value on it) pairs."""
    pad = "  " * depth
    if isinstance(value, dict | list) and value:
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        yield f"{pad}{prefix}{opening}", pointer
        items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        for index, (key, item) in enumerate(items):
            child = f"{pointer}/{_escape_token(str(key))}"
            label = f"{json.dumps(key, ensure_ascii=False)}: " if isinstance(value, dict) else ""
            lines = list(_pretty(item, child, label, depth + 1))
            if index < len(items) - 1:
                text, where = lines[-1]
                lines[-1] = (text + ",", where)
            yield from lines
        yield f"{pad}{closing}", pointer
    else:
        yield f"{pad}{prefix}{json.dumps(value, ensure_ascii=False)}", pointer


def body_lines(
    body: str, pointers: Iterable[str] = ()
) -> tuple[tuple[Line, ...], str, tuple[str, ...]]:
    """A body as lines with the pointers' lines marked; how complete it is; the pointers used."""
    if not body:
        return (), "no body", ()
    cut = _CUT.search(body)
    if cut:
        kept = len(body) - len(cut.group(0))
        note = (
            f"cut at {kept:,} characters (the evidence limit is {EVIDENCE_BODY_LIMIT:,}); "
            f"{int(cut.group(1)):,} more characters were not kept"
        )
        return tuple(Line(_clean(t)) for t in body.splitlines()), note, ()
    note = f"complete ({len(body):,} characters)"
    try:
        document = json.loads(body)
    except ValueError:
        return tuple(Line(_clean(t)) for t in body.splitlines()), note, ()
    wanted = [p for p in pointers if _resolves(document, p)]
    # A missing member is named where it should have been: mark its parent.
    wanted += [
        parent
        for p in pointers
        if p not in wanted
        and (parent := p.rsplit("/", 1)[0])
        and _resolves(document, parent)
        and parent not in wanted
    ]
    lines = tuple(
        Line(_clean(text), any(where == p or where.startswith(p + "/") for p in wanted))
        for text, where in _pretty(document, "", "", 0)
    )
    return lines, note, tuple(wanted)


def _header_marked(name: str, value: str, text: str, urls: list[str]) -> bool:
    if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
        return True
    return any(url in value for url in urls)


def evidence_block(evidence: Evidence, finding: Finding) -> EvidenceBlock:
    """One exchange of ``finding`` as lines; headers and pointers it names marked."""
    text = " ".join((finding.title, finding.message, evidence.note))
    urls = [u.rstrip(".,;)") for u in _URL.findall(text)]
    pointers = pointers_in(text)
    request = [Line(_clean(f"{evidence.method} {evidence.url}"))]
    request += [
        Line(_clean(f"{k}: {v}"), _header_marked(k, v, text, urls))
        for k, v in evidence.request_headers
    ]
    if evidence.request_body:
        lines, _, _ = body_lines(evidence.request_body, pointers)
        request += [Line(""), *lines]
    status = "" if evidence.status is None else str(evidence.status)
    response = [Line(f"HTTP {status}".strip())]
    response += [
        Line(_clean(f"{k}: {v}"), _header_marked(k, v, text, urls))
        for k, v in evidence.response_headers
    ]
    lines, note, used = body_lines(evidence.body_excerpt, pointers)
    if lines:
        response += [Line(""), *lines]
    title = f"{evidence.method} {evidence.url} answered {status}" if evidence.method else ""
    return EvidenceBlock(
        title=_clean(title),
        request=tuple(request) if evidence.method else (),
        response=tuple(response) if evidence.method else (),
        body_note=note,
        pointers=used,
        note=_clean(evidence.note),
    )


# --- escaping -------------------------------------------------------------------------


def md_text(text: str) -> str:
    """Inline Markdown text: one line, every construct that could link, embed or format
    escaped (a vendor's ``![x](http://...)`` stays text)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(_clean(text).split()))


def md_code(text: str) -> str:
    """An inline code span that no backtick in ``text`` can close."""
    flat = " ".join(_clean(text).split())
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {flat} {fence}"


def md_fence(lines: Iterable[Line], info: str = "") -> str:
    """A fenced block at column 0 that no line can close; marked lines start with ``>>``."""
    rows = [(">> " if line.marked else "   ") + line.text for line in lines]
    longest = max((len(m) for row in rows for m in re.findall(r"`+", row)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + info, *rows, fence])


def html_lines(lines: Iterable[Line]) -> str:
    """Lines for a ``<pre>``: escaped, marked lines in ``<mark>``."""
    out = []
    for line in lines:
        text = html.escape(line.text)
        out.append(f"<mark>{text}</mark>" if line.marked else text)
    return "\n".join(out)
