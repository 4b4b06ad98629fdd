"""End to end on a faulted emulator: no secret reaches any results or report file (Allure,
JUnit, results.json, HAR, compliance), Allure has one test case per (vendor, clause,
operation), and the compliance report marks the broken clause non-conformant with evidence
and gives every other clause its own verdict."""

from __future__ import annotations

import base64
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from harness.catalog import load_catalog
from harness.emulators import run_emulator, vendor_module
from harness.reporting import allure_html
from harness.reporting.allure_html import ensure_allure
from harness.reporting.documents import docs_dir
from harness.reporting.report_folder import write_compliance
from harness.runner import RunOptions, run

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / ".tools" / "allure"
VENDOR = "trackops"
FAULT = "trackops-timestamps-plus-two"  # breaks TRK-TIME-UTC; findings carry evidence


def _secret_forms(credentials: dict[str, str]) -> list[str]:
    forms = [v for v in credentials.values() if len(v) >= 8]
    user = f"{credentials['username']}/token:{credentials['api_token']}"
    forms.append(base64.b64encode(user.encode()).decode())
    return forms


def test_a_faulted_run_leaks_no_secret_and_reports_each_clause(tmp_path: Path) -> None:
    credentials = vendor_module(VENDOR).credentials()
    results_dir = tmp_path / "allure-results"
    with run_emulator(VENDOR, faults=(FAULT,)) as emu:
        target = emu.write_target(tmp_path / f"{VENDOR}.toml")
        report = run(
            RunOptions(
                target_files=[target],
                alluredir=results_dir,
                junitxml=tmp_path / "junit.xml",
                results_file=tmp_path / "results.json",
                har_dir=tmp_path / "har",
            )
        )
    assert report.exit_code == 1
    broken = {f.clause for f in report.findings}
    assert "TRK-TIME-UTC" in broken
    out = tmp_path / "compliance"
    write_compliance(tmp_path / "results.json", out)
    if shutil.which("node") and (
        allure_html.installed_version(TOOLS) == allure_html.ALLURE_VERSION or shutil.which("npm")
    ):
        ensure_allure(TOOLS)
        allure_html.build_report(
            results_dir, tmp_path / "allure-report", tmp_path / "history.jsonl", TOOLS
        )

    # 1. no secret anywhere under the results and report folders (the vendor's public
    # document shipped with the reports is a copy: its examples are the emulator's logins)
    public = {p.read_bytes() for p in docs_dir().glob("*") if p.is_file()}
    files = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and p.suffix != ".toml" and p.read_bytes() not in public
    ]
    assert len(files) > 20
    assert {"har/trackops-emulator.har", "compliance/har/trackops.har"} <= {
        p.relative_to(tmp_path).as_posix() for p in files
    }
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for secret in _secret_forms(credentials):
            assert secret not in text, f"{secret[:6]}... leaked into {path.name}"

    # 2. one Allure test case per (vendor, clause, operation)
    keys = []
    for path in results_dir.glob("*-result.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        params = {p["name"]: p["value"] for p in data.get("parameters", [])}
        if "clause" not in params:
            continue  # not a conformance case (e.g. a suite with nothing to run)
        labels = {lbl["name"]: lbl["value"] for lbl in data.get("labels", [])}
        assert labels.get("epic") == "Trackops" and labels.get("story", "").startswith("TRK-")
        operation = params.get("operation", "")  # no empty parameter for a clause of no one
        keys.append((params["vendor"], params["clause"], operation, data["historyId"]))
    assert keys, "no Allure results"
    cases = Counter(k[:3] for k in keys)
    assert max(cases.values()) == 1, "a (vendor, clause, operation) appears twice"
    assert len({k[3] for k in keys}) == len(keys), "history ids are not distinct"

    # 3. the compliance report: the broken clause non-conformant with evidence, all verdicts
    data = json.loads((out / f"{VENDOR}.json").read_text(encoding="utf-8"))
    rows = {row["clause"]: row for row in data["clauses"]}
    assert set(rows) == {c.id for c in load_catalog((VENDOR,))}
    assert rows["TRK-TIME-UTC"]["verdict"] == "non-conformant"
    assert rows["TRK-TIME-UTC"]["evidence"][0]["evidence"][0]["url"]
    assert all(
        r["verdict"] in ("conformant", "non-conformant", "ambiguous", "not checked")
        for r in rows.values()
    )
    others = [r for c, r in rows.items() if c not in broken]
    assert all(r["verdict"] != "non-conformant" for r in others)
    assert any(r["verdict"] == "conformant" for r in others)
    assert all(r["note"] for r in others if r["verdict"] == "not checked")


@pytest.mark.parametrize("vendor", [VENDOR])
def test_the_junit_xml_names_the_clause_cases(vendor: str, tmp_path: Path) -> None:
    with run_emulator(vendor) as emu:
        target = emu.write_target(tmp_path / f"{vendor}.toml")
        run(
            RunOptions(
                target_files=[target],
                suites=["transport"],
                junitxml=tmp_path / "junit.xml",
                results_file=tmp_path / "r.json",
            )
        )
    xml = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert "testcase" in xml and "TRK-" in xml
