"""Compliance reports give every clause a verdict, carry redacted evidence, and load nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from harness.catalog import load_catalog
from harness.reporting.compliance import build_compliance, to_html, to_markdown, write_compliance

VENDOR = "itrp"


def _results(strict: bool = False) -> dict[str, Any]:
    clauses = load_catalog((VENDOR,))
    ambiguous = next(c for c in clauses if c.ambiguity and not c.unchecked)
    plain = [c for c in clauses if not c.ambiguity and not c.unchecked]
    broken, fine, skipped = plain[0], plain[1], plain[2]
    finding = {
        "vendor": VENDOR,
        "clause": broken.id,
        "check": "x.check",
        "title": "broken thing",
        "message": "it broke",
        "severity": "critical",
        "operation": "requests.list",
        "evidence": [
            {
                "method": "GET",
                "url": "https://h/v1/requests?api_token=[REDACTED]",
                "status": 200,
                "request_headers": {},
                "response_headers": {},
                "body_excerpt": '{"a": 1}',
                "note": "",
            }
        ],
    }

    def case(clause: str, outcome: str, findings: list[Any], reason: str = "") -> dict[str, Any]:
        return {
            "vendor": VENDOR,
            "clause": clause,
            "operation": "requests.list",
            "concern": "envelope",
            "checks": ["x.check"],
            "outcome": outcome,
            "reason": reason,
            "findings": findings,
        }

    return {
        "harness_version": "0.1.0",
        "started": "2026-11-22T10:00:00+00:00",
        "finished": "2026-11-22T10:01:00+00:00",
        "targets": [
            {"vendor": VENDOR, "name": "itrp staging", "base_url": "https://h/v1", "mode": "live"}
        ],
        "strict": {VENDOR: strict},
        "cases": [
            case(broken.id, "failed", [finding]),
            case(fine.id, "passed", []),
            case(skipped.id, "skipped", [], "needs [allow] writes = true"),
            case(ambiguous.id, "passed", []),
        ],
        "_ids": {
            "broken": broken.id,
            "fine": fine.id,
            "skipped": skipped.id,
            "ambiguous": ambiguous.id,
        },
    }


def test_every_clause_gets_a_verdict_of_its_own() -> None:
    results = _results()
    ids = results["_ids"]
    report = build_compliance(results, VENDOR)
    verdicts = {r.clause.id: r for r in report.rows}
    assert len(verdicts) == len(load_catalog((VENDOR,)))
    assert verdicts[ids["broken"]].verdict == "non-conformant"
    assert verdicts[ids["broken"]].findings[0]["title"] == "broken thing"
    assert verdicts[ids["fine"]].verdict == "conformant"
    assert verdicts[ids["skipped"]].verdict == "not checked"
    assert "writes" in verdicts[ids["skipped"]].note
    assert verdicts[ids["ambiguous"]].verdict == "ambiguous"
    assert "lenient reading" in verdicts[ids["ambiguous"]].note
    unchecked = [r for r in report.rows if r.clause.unchecked]
    assert all(r.verdict == "not checked" and r.note == r.clause.unchecked for r in unchecked)
    assert report.score == 2 / 3


def test_strict_mode_names_the_reading_used() -> None:
    results = _results(strict=True)
    report = build_compliance(results, VENDOR)
    row = next(r for r in report.rows if r.clause.id == results["_ids"]["ambiguous"])
    assert row.clause.ambiguity is not None
    assert f"strict reading '{row.clause.ambiguity.strict}'" in row.note


def test_the_html_is_self_contained_and_printable() -> None:
    page = to_html(build_compliance(_results(), VENDOR))
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "@media print" in page
    assert "Content-Security-Policy" in page
    assert "broken thing" in page


def test_markdown_has_one_row_per_clause_and_the_evidence() -> None:
    md = to_markdown(build_compliance(_results(), VENDOR))
    rows = [line for line in md.splitlines() if line.startswith("| ITRP-")]
    assert len(rows) == len(load_catalog((VENDOR,)))
    assert "## Evidence" in md and "it broke" in md


def test_write_compliance_writes_three_formats_per_vendor(tmp_path: Path) -> None:
    results_file = tmp_path / "results.json"
    results_file.write_text(json.dumps(_results()), encoding="utf-8")
    written = write_compliance(results_file, tmp_path / "out")
    assert sorted(p.name for p in written) == ["itrp.html", "itrp.json", "itrp.md"]
    data = json.loads((tmp_path / "out" / "itrp.json").read_text(encoding="utf-8"))
    assert data["summary"]["non-conformant"] == 1
    assert data["metadata"]["catalog_sha256"]
