"""Running the conformance suites under pytest (the plugin) and reading each case's outcome."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from harness._resources import suites_dir


def plugin_outcomes(vendors: Sequence[str], folder: Path) -> dict[str, str]:
    """``pytest suites/ --harness-vendor ...``: each case id and its outcome (passed,
    failed, error, skipped), read from the JUnit XML pytest writes."""
    root = suites_dir()
    junit = folder / "junit.xml"
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
            *(arg for v in vendors for arg in ("--harness-vendor", v)),
            f"--junitxml={junit}",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seen = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        outcome = "passed"
        for tag, word in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
            if case.find(tag) is not None:
                outcome = word
        seen[name[name.index("[") + 1 : -1]] = outcome
    return seen
