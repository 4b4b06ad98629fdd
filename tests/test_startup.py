"""Start-up: a command imports what it uses, and nothing heavy it does not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness._resources import vendor_names

# Heavy packages and the parts of the harness that only some commands need.
HEAVY = (
    "cryptography",
    "harness.monitor.database",
    "harness.reporting.allure_html",
    "harness.reporting.report_folder",
    "harness.reporting.signing",
    "httpx",
    "hypothesis",
    "jsonschema",
    "prometheus_client",
    "rich",
    "schemathesis",
    "sqlalchemy",
    "starlette",
    "uvicorn",
)
PROBE = """
import json, sys
from harness.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported(*args: str) -> set[str]:
    """The top-level and harness modules a ``harness`` command imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300
    )
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return {m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}


def heavy(found: set[str]) -> set[str]:
    return {h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in found)}


@pytest.mark.parametrize("command", [("--help",), ("run", "--help"), ("monitor", "--help")])
def test_help_imports_nothing_heavy(command: tuple[str, ...]) -> None:
    assert heavy(imported(*command)) == set()


def test_a_run_does_not_import_the_monitor_or_the_report_builders(tmp_path: Path) -> None:
    vendor = vendor_names()[0]
    found = heavy(imported("run", vendor, "-q", "--results", str(tmp_path / "results.json")))
    assert {"httpx", "jsonschema"} <= found  # it did run
    assert not found & {
        "sqlalchemy",
        "prometheus_client",
        "harness.monitor.database",
        "harness.reporting.allure_html",
        "harness.reporting.report_folder",
        "harness.reporting.signing",
    }
