"""The vendors' documents, shipped with each report and linked to the clause's section.

Every clause cites a document and a section. Reports carry a copy of the documents
they cite (in a ``docs/`` folder beside the report) and link to the section with a text
fragment (``docs/itrp.txt#:~:text=Pagination,-Collections%20are``): a browser opens the
shipped copy and scrolls to the heading, nothing is loaded from elsewhere.

Where the documents are: ``$HARNESS_DOCS_DIR``, else ``vendor-docs/`` beside the
``schemas/`` folder (a copy is kept in the checkout and installed with the package), else
``../shared/vendor-docs`` next to the checkout. A
document that cannot be found is reported as such (:attr:`DocumentLink.missing`), never
linked to a made-up address.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from harness._resources import vendor_root, vendor_roots
from harness.catalog import Clause

__all__ = [
    "DOCS_ENV",
    "PUBLIC_FACTS",
    "DocumentLink",
    "docs_dir",
    "document_link",
    "section_fragment",
    "ship_documents",
]

DOCS_ENV = "HARNESS_DOCS_DIR"
PUBLIC_FACTS = "PUBLIC-FACTS.md"
SHIPPED = "docs"  # the folder beside a report that holds the copies
_PUBLIC_PREFIX = "PUBLIC-FACTS: "
_MAX_SUFFIX_WORDS = 12


def docs_dir() -> Path:
    """The folder holding the vendors' documents (it may not exist: see the module doc)."""
    configured = os.environ.get(DOCS_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    beside_schemas = vendor_root().parent / "vendor-docs"
    if beside_schemas.is_dir():
        return beside_schemas
    return vendor_root().parent.parent / "shared" / "vendor-docs"


def _external_documents() -> dict[str, Path]:
    """Documents kept in the folders of vendors on ``$HARNESS_VENDOR_PATH``
    (``<root>/<vendor>/<document>.txt``), by file name."""
    found: dict[str, Path] = {}
    for root in vendor_roots()[1:]:
        for path in sorted(root.glob("*/*")):
            if path.is_file() and path.suffix in (".txt", ".md"):
                found.setdefault(path.name, path)
    return found


def document_path(name: str) -> Path:
    """Where a document is: the vendor documents folder, else an external vendor's folder
    (the first may not exist: callers read it and handle its absence)."""
    path = docs_dir() / name
    if path.is_file():
        return path
    return _external_documents().get(name, path)


@dataclass(frozen=True)
class DocumentLink:
    """Where a clause's section is, relative to a report that ships its document."""

    document: str  # file name of the document (itrp.txt, PUBLIC-FACTS.md)
    section: str  # the heading as the document writes it
    href: str  # relative URL: docs/<document>#:~:text=... (no fragment when not found)
    found: bool  # the document exists in docs_dir()
    section_found: bool  # the section could be located in it

    @property
    def missing(self) -> str:
        """Why the link cannot take a reader to the section ("" when it can)."""
        if not self.found:
            return (
                f"the document {self.document} was not found in {docs_dir()} when this report "
                f"was written (set {DOCS_ENV} to the folder of the vendor documents)"
            )
        if not self.section_found:
            return f"the section {self.section!r} could not be located in {self.document}"
        return ""

    @property
    def label(self) -> str:
        return f"{self.document}, section {self.section!r}"


def _encode(text: str) -> str:
    """Percent-encode for a text directive (``-``, ``,`` and ``&`` are syntax there)."""
    return quote(text, safe="").replace("-", "%2D")


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


def _heading_position(lines: list[str], section: str) -> int | None:
    for index, line in enumerate(lines):
        if line.strip().lstrip("#").strip() == section:
            return index
    return None


def section_fragment(text: str, section: str) -> str | None:
    """A text fragment (``:~:text=...``) that lands on ``section`` in ``text``, or None.

    The heading line is preferred; when its words also occur earlier (a table of
    contents, a sentence), words of the lines after it are added as a suffix until the
    match is unique. Without a heading line, the first occurrence of the words is used.
    """
    lines = text.splitlines()
    where = _heading_position(lines, section)
    body = _normal(text)
    if where is None:
        return f":~:text={_encode(section)}" if _normal(section) in body else None
    following = " ".join(lines[where + 1 :]).split()
    needle = _normal(section)
    if body.count(needle) <= 1:
        return f":~:text={_encode(section)}"
    for words in range(1, min(_MAX_SUFFIX_WORDS, len(following)) + 1):
        suffix = " ".join(following[:words])
        if re.search(r"\w", suffix) and body.count(f"{needle} {_normal(suffix)}") == 1:
            return f":~:text={_encode(section)},-{_encode(suffix)}"
    return f":~:text={_encode(section)}"


def _candidates(section: str) -> list[str]:
    """The section as cited, then what a citation like ``A (after 'B')`` names."""
    found = [section]
    head = section.split(" (", 1)[0].strip()
    if head and head != section:
        found.append(head)
    found += re.findall(r"'([^']{3,})'", section)
    return found


@cache
def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def document_link(clause: Clause) -> DocumentLink:
    """The shipped document and section a clause cites (PUBLIC-FACTS.md for public facts)."""
    document, section = clause.document, clause.section
    if section.startswith(_PUBLIC_PREFIX):
        document, section = PUBLIC_FACTS, section.removeprefix(_PUBLIC_PREFIX)
    href = f"{SHIPPED}/{quote(document)}"
    text = _read(document_path(document))
    if text is None:
        return DocumentLink(document, section, href, found=False, section_found=False)
    for candidate in _candidates(section):
        fragment = section_fragment(text, candidate)
        if fragment is not None:
            return DocumentLink(document, section, f"{href}#{fragment}", True, True)
    return DocumentLink(document, section, href, found=True, section_found=False)


def ship_documents(folder: Path, documents: set[str] | None = None) -> tuple[list[Path], list[str]]:
    """Copy the documents (every one in docs_dir() by default) into ``folder/docs``.

    Returns the copies written and the names of documents asked for that were not found.
    """
    source = docs_dir()
    if documents is None:
        names = (
            sorted(p.name for p in source.iterdir() if p.is_file() and p.suffix in (".txt", ".md"))
            if source.is_dir()
            else []
        )
        names += sorted(set(_external_documents()) - set(names))
    else:
        names = sorted(documents)
    written, missing = [], []
    for name in names:
        path = document_path(name)
        if not path.is_file():
            missing.append(name)
            continue
        target = folder / SHIPPED / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
    return written, missing
