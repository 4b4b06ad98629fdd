"""The Allure results of a full run: every case shows the HTTP exchanges its checks sent or
read from the memo (or says why it has none), the clause, its document section and
reading; names are unique and readable, no parameter is empty, and every attachment
belongs to one case."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from html import escape
from typing import Any
from urllib.parse import unquote

import pytest

from harness.catalog import load_catalog
from harness.reporting.allure_results import DATA_ONLY, NO_EXCHANGE, UNRECORDED
from harness.reporting.documents import docs_dir
from tests.reporting._full_run import FullRun


@pytest.fixture(scope="module")
def cases(full_run: FullRun) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text("utf-8")) for p in full_run.allure.glob("*-result.json")]
    assert len(found) == len(full_run.report.cases) > 300
    return found


def _steps(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        yield step
        yield from _steps(step["steps"])


def _exchange_steps(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for s in _steps(case["steps"])
        if {a["name"] for a in s["attachments"]} >= {"request", "response"}
    ]


def _why_none(case: dict[str, Any]) -> list[str]:
    return [
        s["name"].removeprefix(NO_EXCHANGE)
        for s in _steps(case["steps"])
        if s["name"].startswith(NO_EXCHANGE)
    ]


def test_every_case_whose_checks_judged_an_exchange_carries_it(
    cases: list[dict[str, Any]], full_run: FullRun
) -> None:
    """A case shows every exchange its checks sent or read from the memo; a case without
    one says why, and the why is a property of its verdict and results: skipped, not run,
    requests no exchange records (``CheckResult.unrecorded``), or data only."""
    results = {(r.vendor, r.check, r.operation): r for r in full_run.report.results}
    verdicts = {(v.vendor, v.clause.id, v.operation): v for v in full_run.report.cases}
    without: Counter[str] = Counter()
    for case in cases:
        values = {p["name"]: p["value"] for p in case["parameters"]}
        verdict = verdicts[values["vendor"], values["clause"], values.get("operation", "")]
        checked = [results[verdict.vendor, c, verdict.operation] for c in verdict.checks]
        exchanges, stated = _exchange_steps(case), _why_none(case)
        assert bool(exchanges) != bool(stated), case["name"]
        for step in exchanges:
            for attachment in step["attachments"]:
                assert (full_run.allure / attachment["source"]).stat().st_size > 0
        if any(r.judged for r in checked):
            assert exchanges, f"{case['name']}: its checks judged exchanges it does not show"
            continue
        if exchanges:
            continue  # a finding's evidence, sent outside the recorded client
        (reason,) = stated
        if verdict.outcome == "skipped":
            expected = "the case was skipped: "
        elif verdict.outcome == "error":
            expected = "the harness could not run its checks: "
        elif any(r.unrecorded for r in checked):
            expected = UNRECORDED
        else:
            expected = DATA_ONLY
        assert reason.startswith(expected), (case["name"], reason)
        without[expected] += 1
    # few cases have none: the memo's exchanges are shown on every case that used them
    assert sum(without.values()) < len(cases) // 10, without


def test_an_exchange_read_from_the_memo_names_the_check_that_sent_it(
    cases: list[dict[str, Any]],
) -> None:
    reused = [c for c in cases if any("(sent earlier by " in s["name"] for s in _exchange_steps(c))]
    assert len(reused) > len(cases) // 3


def test_a_broken_clause_carries_the_exchanges_of_its_evidence(
    cases: list[dict[str, Any]], full_run: FullRun
) -> None:
    case = next(c for c in cases if c["name"] == "ITRP-PAGE-LINK [requests.list]")
    assert case["status"] == "failed"
    evidence = [s for s in _steps(case["steps"]) if s["name"].startswith("evidence: GET ")]
    assert evidence
    response = next(a for a in evidence[0]["attachments"] if a["name"] == "response")
    text = (full_run.allure / response["source"]).read_text("utf-8")
    assert text.startswith("HTTP 200") and 'rel="next"' in text


def test_names_are_unique_and_readable_and_no_parameter_is_empty(
    cases: list[dict[str, Any]],
) -> None:
    names = Counter(c["name"] for c in cases)
    assert [n for n, k in names.items() if k > 1] == []
    clause_ids = {c.id for c in load_catalog()}
    for case in cases:
        assert case["name"].split(" ")[0] in clause_ids
        assert "rules_a" not in json.dumps(case["steps"])  # checks shown by today's names
        for parameter in case["parameters"]:
            assert parameter["value"].strip() not in ("", "-"), (case["name"], parameter)
            assert parameter["name"] != "harness_case"
    sources = Counter(
        a["source"]
        for case in cases
        for step in [case, *_steps(case["steps"])]
        for a in step["attachments"]
    )
    assert max(sources.values()) == 1, "an attachment file is named by two results"


def test_each_case_shows_the_clause_its_document_section_and_reading(
    cases: list[dict[str, Any]],
) -> None:
    clauses = {c.id: c for c in load_catalog()}
    documents = {p.name for p in docs_dir().iterdir()}
    for case in cases:
        clause = clauses[case["name"].split(" ")[0]]
        html = case["descriptionHtml"]
        assert escape(clause.summary) in html
        assert "no vendor was tested" in html  # every target here is an emulator
        (link,) = case["links"]
        assert "vendor-docs.invalid" not in link["url"]
        path, _, fragment = link["url"].partition("#")
        assert path.startswith("docs/") and unquote(path.removeprefix("docs/")) in documents
        assert fragment.startswith(":~:text="), link
        if clause.ambiguity:
            assert "Reading used: every reading (lenient)" in html


def test_the_environment_names_emulators_and_the_run_digests(full_run: FullRun) -> None:
    env = (full_run.allure / "environment.properties").read_text("utf-8")
    for target in full_run.record.targets:
        assert f"target.{target.vendor}={target.name} emulator " in env
        assert "no vendor was tested" in env
        assert f"schemas.{target.vendor}.sha256={target.schemas_sha256}" in env
