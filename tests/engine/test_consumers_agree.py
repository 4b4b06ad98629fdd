"""`harness run` and the pytest plugin drive the same engine: same cases, same verdicts."""

from __future__ import annotations

import json
from pathlib import Path

from harness.runner import RunOptions, run
from tests.engine._plugin import plugin_outcomes


def test_the_plugin_reports_the_verdicts_harness_run_reports(tmp_path: Path) -> None:
    vendor = "trackops"
    report = run(RunOptions(vendors=(vendor,), results_file=tmp_path / "results.json"))
    expected = {
        f"{vendor}-{c.clause.id}" + (f"-{c.operation}" if c.operation else ""): c.outcome
        for c in report.cases
    }
    assert plugin_outcomes((vendor,), tmp_path) == expected
    assert json.loads((tmp_path / "results.json").read_text())["exit_code"] == report.exit_code
