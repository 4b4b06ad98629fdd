"""Document links go to the shipped copy of the vendor's document and land on the section;
a document that cannot be found is said to be missing, never linked elsewhere."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from harness.catalog import load_catalog
from harness.reporting.documents import (
    DOCS_ENV,
    docs_dir,
    document_link,
    section_fragment,
    ship_documents,
)

DOC = """Guide

Contents: Pagination, Errors

Pagination

Collections are paged with page and per_page.

Errors

Errors have a message.
"""


def _words(fragment: str) -> list[str]:
    return [unquote(part) for part in fragment.removeprefix(":~:text=").split(",")]


def test_a_heading_mentioned_earlier_gets_a_suffix_that_makes_it_unique() -> None:
    fragment = section_fragment(DOC, "Pagination")
    assert fragment is not None
    text, suffix = _words(fragment)
    assert text == "Pagination" and suffix == "-Collections"
    assert " ".join(DOC.split()).count(f"{text} {suffix[1:]}") == 1


def test_a_unique_heading_needs_no_suffix_and_an_absent_one_has_no_fragment() -> None:
    assert section_fragment(DOC, "Guide") == ":~:text=Guide"
    assert section_fragment(DOC, "Webhooks") is None


def test_every_clause_of_every_vendor_links_to_its_section() -> None:
    for clause in load_catalog():
        link = document_link(clause)
        assert link.found, link.missing
        assert link.href.startswith("docs/") and "#:~:text=" in link.href, (clause.id, link)
        shipped = docs_dir() / unquote(link.href.removeprefix("docs/").split("#")[0])
        assert shipped.is_file()


def test_public_facts_clauses_link_to_public_facts() -> None:
    clause = next(c for c in load_catalog() if c.section.startswith("PUBLIC-FACTS: "))
    link = document_link(clause)
    assert link.document == "PUBLIC-FACTS.md"
    assert link.href.startswith("docs/PUBLIC-FACTS.md#:~:text=")


def test_a_missing_document_is_stated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DOCS_ENV, str(tmp_path))
    assert docs_dir() == tmp_path
    clause = next(iter(load_catalog(("itrp",))))
    link = document_link(clause)
    assert not link.found and link.href == "docs/itrp.txt"
    assert link.missing.startswith(f"the document itrp.txt was not found in {tmp_path}")
    assert DOCS_ENV in link.missing
    written, missing = ship_documents(tmp_path / "out", {"itrp.txt"})
    assert written == [] and missing == ["itrp.txt"]


def test_a_section_not_in_the_document_is_stated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "itrp.txt").write_text(DOC)
    monkeypatch.setenv(DOCS_ENV, str(tmp_path))
    clause = replace(next(iter(load_catalog(("itrp",)))), section="Webhooks")
    link = document_link(clause)
    assert link.found and not link.section_found and link.href == "docs/itrp.txt"
    assert link.missing == "the section 'Webhooks' could not be located in itrp.txt"
    written, _ = ship_documents(tmp_path / "out", {"itrp.txt"})
    assert [p.read_text() for p in written] == [DOC]


def test_an_external_vendor_s_document_is_found_in_its_own_folder_and_shipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vendors = Path(__file__).resolve().parents[1] / "vendors"
    monkeypatch.setenv("HARNESS_VENDOR_PATH", str(vendors))
    monkeypatch.setenv(DOCS_ENV, str(tmp_path / "no-documents-here"))
    (name,) = [p.name for p in vendors.iterdir() if (p / "clauses.toml").is_file()][:1]
    clause = next(iter(load_catalog((name,))))
    link = document_link(clause)
    assert link.found and link.section_found, link.missing
    written, missing = ship_documents(tmp_path / "report", {clause.document})
    assert missing == [] and [p.name for p in written] == [clause.document]
