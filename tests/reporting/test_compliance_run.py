"""The compliance reports of a full run, ITRP faulted: evidence a partner can act on, every
verdict linked to evidence that exists, the emulator banner, one folder per run."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from harness.catalog import load_catalog
from harness.errors import HarnessError
from harness.reporting.compliance import EMULATOR_BANNER
from harness.reporting.report_folder import write_compliance
from tests.reporting._full_run import FullRun


class _Page(HTMLParser):
    """Ids, links and the rows of the clause table of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.rows: dict[str, list[str]] = {}  # row id -> hrefs in the row
        self._row: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "tr" and str(found.get("id", "")).startswith("clause-"):
            self._row = str(found["id"])
            self.rows[self._row] = []
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
            if self._row:
                self.rows[self._row].append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _evidence_section(html_text: str, clause: str) -> str:
    start = html_text.index(f'id="evidence-{clause}"')
    return html_text[start : html_text.index("</section>", start)]


def test_the_broken_clause_shows_the_request_line_and_the_link_header(full_run: FullRun) -> None:
    page = (full_run.compliance.folder / "itrp.html").read_text(encoding="utf-8")
    section = _evidence_section(page, "ITRP-PAGE-LINK")
    assert "non-conformant" in section
    # the request line of the decisive exchange, and the response's Link header with rel=next
    assert re.search(r"<pre class=\"request\">GET https://127\.0\.0\.1:\d+/v1/\w+\?page=", section)
    link = re.search(r"<mark>link: ([^<]*)</mark>", section)
    assert link is not None, "the Link header is not marked as the header the finding is about"
    assert "rel=&quot;next&quot;" in link.group(1) and "rel=&quot;last&quot;" in link.group(1)
    assert "authorization: [REDACTED]" in section  # request headers, redacted
    assert re.search(r"Response body complete \([\d,]+ characters\)", section)


def test_every_verdict_links_to_evidence_that_exists(full_run: FullRun) -> None:
    for report in full_run.compliance.reports:
        page = _page(full_run.compliance.folder / f"{report.stem}.html")
        assert len(page.rows) == len(load_catalog((report.vendor,)))
        for row, hrefs in page.rows.items():
            evidence = [h for h in hrefs if h.startswith("#evidence-")]
            assert evidence == [f"#evidence-{row.removeprefix('clause-')}"], row
        for href in page.hrefs:
            if href.startswith("#"):
                assert href[1:] in page.ids, f"{report.stem}.html links to missing {href}"
            else:  # a shipped file: the vendor document or the HAR file
                assert not urlsplit(href).scheme, f"{report.stem}.html links outside: {href}"
                shipped = full_run.compliance.folder / unquote(urlsplit(href).path)
                assert shipped.is_file(), f"{report.stem}.html links to missing {href}"


def test_markdown_verdicts_link_to_their_evidence_anchor(full_run: FullRun) -> None:
    text = (full_run.compliance.folder / "itrp.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and all(target in anchors for target in links)
    assert "](#evidence-ITRP-PAGE-LINK)" in text


def test_document_links_open_the_shipped_section(full_run: FullRun) -> None:
    data = json.loads((full_run.compliance.folder / "itrp.json").read_text(encoding="utf-8"))
    row = next(r for r in data["clauses"] if r["clause"] == "ITRP-PAGE-LINK")
    path, _, fragment = row["document_link"].partition("#")
    assert (full_run.compliance.folder / path).is_file()
    assert fragment.startswith(":~:text=") and unquote(fragment.split("=", 1)[1]).split(",")[0]
    assert "vendor-docs.invalid" not in (full_run.compliance.folder / "itrp.html").read_text()


def test_checks_are_named_for_people_and_the_score_states_its_formula(full_run: FullRun) -> None:
    report = next(r for r in full_run.compliance.reports if r.vendor == "itrp")
    page = (full_run.compliance.folder / "itrp.html").read_text(encoding="utf-8")
    assert "Link relations (pagination)" in page
    assert "rules_a." not in page and "rules_b." not in page
    c = report.counts
    assert report.formula.startswith(
        "score = (conformant + ambiguous) / (conformant + ambiguous + non-conformant) = "
        f"({c['conformant']} + {c['ambiguous']}) / "
    )
    assert f"{c['not checked']} clause(s) not checked are outside the score" in page
    assert f"({report.verified} of {len(report.rows)} clauses verified)" in page
    assert "(emulator) (emulator)" not in page


def test_every_report_of_an_emulator_carries_the_banner(full_run: FullRun) -> None:
    assert {t.mode for t in full_run.record.targets} == {"emulator"}
    for report in full_run.compliance.reports:
        banner = EMULATOR_BANNER.format(name=report.name)
        folder = full_run.compliance.folder
        assert f'<div class="banner" role="alert">{banner}' in (
            folder / f"{report.stem}.html"
        ).read_text(encoding="utf-8").replace("&#x27;", "'")
        markdown = (folder / f"{report.stem}.md").read_text(encoding="utf-8")
        assert markdown.startswith("> **No vendor was tested.")
        data = json.loads((folder / f"{report.stem}.json").read_text(encoding="utf-8"))
        assert data["banner"] == banner and data["metadata"]["vendor_tested"] is False
    index = full_run.compliance.index.read_text(encoding="utf-8")
    assert "No vendor was tested in 5 of 5 report(s)" in index


def test_the_index_lists_what_the_run_produced(full_run: FullRun) -> None:
    page = _page(full_run.compliance.index)
    for report in full_run.compliance.reports:
        for suffix in ("html", "md", "json"):
            assert f"{report.stem}.{suffix}" in page.hrefs
        assert report.meta.har in page.hrefs
    for href in page.hrefs:
        assert (full_run.compliance.folder / unquote(href)).is_file(), href


def test_a_second_report_empties_the_folder_first(full_run: FullRun, tmp_path: Path) -> None:
    folder = full_run.copy_of_compliance(tmp_path)
    (folder / "turris.html").write_text("an earlier run's report")
    (folder / "docs" / "old.txt").write_text("stale")
    done = write_compliance(full_run.results, folder, ("itrp",))
    names = sorted(p.relative_to(folder).as_posix() for p in done.files)
    assert "turris.html" not in names and "docs/old.txt" not in names
    assert {"index.html", "itrp.html", "itrp.md", "itrp.json", "har/itrp.har"} <= set(names)


def test_a_folder_of_other_files_is_not_emptied(full_run: FullRun, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(HarnessError, match="refusing to empty"):
        write_compliance(full_run.results, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_digests_agree_across_every_report_of_the_run(full_run: FullRun) -> None:
    env = dict(
        line.split("=", 1)
        for line in (full_run.allure / "environment.properties").read_text().splitlines()
    )
    for target in full_run.record.targets:
        assert len(target.schemas_sha256) == 64 and len(target.catalog_sha256) == 64
        assert env[f"schemas.{target.vendor}.sha256"] == target.schemas_sha256
        assert env[f"catalog.{target.vendor}.sha256"] == target.catalog_sha256
        data = json.loads(
            (full_run.compliance.folder / f"{target.vendor}.json").read_text(encoding="utf-8")
        )
        assert data["metadata"]["schemas_sha256"] == target.schemas_sha256
        assert data["metadata"]["catalog_sha256"] == target.catalog_sha256
        assert data["metadata"]["digests_recorded_by_run"] is True
