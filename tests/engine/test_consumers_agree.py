"""`harness run` and the pytest plugin drive the same engine: same cases, same verdicts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from harness._resources import suites_dir
from harness.runner import RunOptions, run


def test_the_plugin_reports_the_verdicts_harness_run_reports(tmp_path: Path) -> None:
    vendor = "trackops"
    report = run(RunOptions(vendors=(vendor,), results_file=tmp_path / "results.json"))
    expected = {
        f"{vendor}-{c.clause.id}" + (f"-{c.operation}" if c.operation else ""): c.outcome
        for c in report.cases
    }
    root = suites_dir()
    junit = tmp_path / "junit.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(root),
            "-c",
            str(root / "pytest.ini"),
            f"--rootdir={root}",
            "-p",
            "no:cacheprovider",
            "-q",
            "--harness-vendor",
            vendor,
            f"--junitxml={junit}",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    import xml.etree.ElementTree as ET

    seen = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        param = name[name.index("[") + 1 : -1]
        outcome = "passed"
        if case.find("failure") is not None:
            outcome = "failed"
        elif case.find("error") is not None:
            outcome = "error"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        seen[param] = outcome
    assert seen == expected
    assert json.loads((tmp_path / "results.json").read_text())["exit_code"] == report.exit_code
