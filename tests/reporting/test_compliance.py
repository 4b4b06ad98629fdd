"""Compliance reports give every clause a verdict, state the score's formula, carry the
emulator banner only for emulators, escape vendor content, and load nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from harness.catalog import load_catalog
from harness.reporting.compliance import VendorCompliance, build_compliance
from harness.reporting.compliance_html import to_html
from harness.reporting.compliance_markdown import to_markdown
from harness.reporting.report_folder import write_compliance
from harness.reporting.results import RunRecord

VENDOR = "itrp"


def _results(strict: bool = False, mode: str = "live") -> dict[str, Any]:
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
            {"vendor": VENDOR, "name": "itrp staging", "base_url": "https://h/v1", "mode": mode}
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


def _report(results: dict[str, Any]) -> VendorCompliance:
    record = RunRecord.from_dict(results)
    return build_compliance(record, record.targets[0])


def test_every_clause_gets_a_verdict_of_its_own() -> None:
    results = _results()
    ids = results["_ids"]
    report = _report(results)
    verdicts = {r.clause.id: r for r in report.rows}
    assert len(verdicts) == len(load_catalog((VENDOR,)))
    assert verdicts[ids["broken"]].verdict == "non-conformant"
    assert verdicts[ids["broken"]].findings[0].title == "broken thing"
    assert verdicts[ids["fine"]].verdict == "conformant"
    assert verdicts[ids["skipped"]].verdict == "not checked"
    assert "writes" in verdicts[ids["skipped"]].note
    assert verdicts[ids["ambiguous"]].verdict == "ambiguous"
    assert "lenient reading" in verdicts[ids["ambiguous"]].note
    unchecked = [r for r in report.rows if r.clause.unchecked]
    assert all(r.verdict == "not checked" and r.note == r.clause.unchecked for r in unchecked)
    assert report.score == 2 / 3


def test_the_score_states_its_formula_and_what_was_not_checked() -> None:
    report = _report(_results())
    c = report.counts
    assert report.verified == 3 and report.score_text == "66.7%"
    assert report.formula == (
        "score = (conformant + ambiguous) / (conformant + ambiguous + non-conformant) = "
        f"(1 + 1) / (1 + 1 + 1) = 2 / 3 = 66.7%; the {c['not checked']} clause(s) not "
        "checked are outside the score"
    )
    page = to_html(report)
    assert report.formula.replace("'", "&#x27;") in page
    assert f"(3 of {len(report.rows)} clauses verified)" in page


def test_strict_mode_names_the_reading_used() -> None:
    results = _results(strict=True)
    report = _report(results)
    row = next(r for r in report.rows if r.clause.id == results["_ids"]["ambiguous"])
    assert row.clause.ambiguity is not None
    assert f"strict reading '{row.clause.ambiguity.strict}'" in row.note


def test_only_an_emulator_target_gets_the_banner() -> None:
    live = _report(_results())
    assert live.banner == "" and "No vendor was tested" not in to_html(live)
    assert "No vendor was tested" not in to_markdown(live)
    emulated = _report(_results(mode="emulator"))
    assert emulated.banner.startswith("No vendor was tested.")
    assert '<div class="banner" role="alert">No vendor was tested.' in to_html(emulated)
    assert to_markdown(emulated).startswith("> **No vendor was tested.")


def test_the_html_is_self_contained_and_printable() -> None:
    page = to_html(_report(_results()))
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "@media print" in page
    assert "Content-Security-Policy" in page
    assert "broken thing" in page
    assert "itrp staging (live)" in page


def test_markdown_has_one_row_per_clause_and_the_evidence() -> None:
    md = to_markdown(_report(_results()))
    rows = [line for line in md.splitlines() if line.startswith('| <a id="clause-ITRP-')]
    assert len(rows) == len(load_catalog((VENDOR,)))
    assert "## Evidence per clause" in md and "it broke" in md


def test_write_compliance_writes_three_formats_per_target_and_an_index(tmp_path: Path) -> None:
    results_file = tmp_path / "results.json"
    results_file.write_text(json.dumps(_results()), encoding="utf-8")
    done = write_compliance(results_file, tmp_path / "out")
    names = sorted(p.relative_to(tmp_path / "out").as_posix() for p in done.files)
    assert {"index.html", "itrp.html", "itrp.json", "itrp.md", "docs/itrp.txt"} <= set(names)
    data = json.loads((tmp_path / "out" / "itrp.json").read_text(encoding="utf-8"))
    assert data["summary"]["non-conformant"] == 1
    assert data["metadata"]["catalog_sha256"]
    assert data["metadata"]["digests_recorded_by_run"] is False  # an older results.json


def test_a_partial_run_says_so_on_the_report() -> None:
    results = _results() | {"partial": True, "partial_reasons": ["itrp: 60% of checks skipped"]}
    report = _report(results)
    assert "Partial run: too little was checked" in to_html(report)
    assert "> - itrp: 60% of checks skipped" in to_markdown(report)
    assert report.as_dict()["metadata"]["partial_reasons"] == ["itrp: 60% of checks skipped"]
    assert "Partial run" not in to_html(_report(_results()))
