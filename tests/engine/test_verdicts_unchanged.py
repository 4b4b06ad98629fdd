"""The redesign changed no verdict: a full run gives, clause by clause, the verdicts that
`harness run` gave before it (recorded in tests/data/verdicts-before-redesign.json)."""

from __future__ import annotations

import json
from pathlib import Path

from harness.runner import RunOptions, run

RECORDED = Path(__file__).parents[1] / "data" / "verdicts-before-redesign.json"
RANK = {"error": 3, "failed": 2, "passed": 1, "skipped": 0}


def test_every_clause_has_the_verdict_it_had_before_the_redesign(tmp_path: Path) -> None:
    before = json.loads(RECORDED.read_text())["verdicts"]
    report = run(RunOptions(vendors=tuple(before), results_file=tmp_path / "results.json"))
    now: dict[str, dict[str, str]] = {}
    for case in report.cases:
        mine = now.setdefault(case.vendor, {})
        previous = mine.get(case.clause.id)
        if previous is None or RANK[case.outcome] > RANK[previous]:
            mine[case.clause.id] = case.outcome
    assert now == before
