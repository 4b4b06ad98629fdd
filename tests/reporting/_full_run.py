"""A full run for the report tests: every vendor's emulator, ITRP's faulted.

The run (all five emulators, ITRP with ``itrp-link-next-on-last-page`` so one clause is
broken with evidence) writes Allure results, HAR files and ``results.json``; the
compliance reports of it are written once. Tests read these files; a test that changes
a file works on a copy (:meth:`FullRun.copy_of_compliance`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from harness._resources import vendor_names
from harness.emulators import make_tls, start_emulator
from harness.reporting.report_folder import ReportFolder, write_compliance
from harness.reporting.results import RunRecord, read_results
from harness.runner import RunOptions, RunReport, run

# Which emulators run with a fault: ITRP's breaks ITRP-PAGE-LINK (findings with evidence).
FAULTS = {"itrp": ("itrp-link-next-on-last-page",)}


@dataclass(frozen=True)
class FullRun:
    base: Path
    report: RunReport
    record: RunRecord
    allure: Path
    har: Path
    results: Path
    compliance: ReportFolder

    def copy_of_compliance(self, where: Path) -> Path:
        target = where / "compliance"
        shutil.copytree(self.compliance.folder, target)
        return target


def full_run_in(base: Path) -> FullRun:
    """Run every vendor's emulator (with :data:`FAULTS`) and write the reports under ``base``."""
    tls = make_tls(base / "tls")
    running = []
    try:
        files = []
        for vendor in vendor_names():
            emu = start_emulator(vendor, tls=tls, faults=FAULTS.get(vendor, ()))
            running.append(emu)
            files.append(emu.write_target(base / "targets" / f"{vendor}.toml"))
        report = run(
            RunOptions(
                target_files=files,
                alluredir=base / "allure-results",
                results_file=base / "results.json",
                har_dir=base / "har",
            )
        )
    finally:
        for emu in running:
            emu.stop()
    return FullRun(
        base=base,
        report=report,
        record=read_results(base / "results.json"),
        allure=base / "allure-results",
        har=base / "har",
        results=base / "results.json",
        compliance=write_compliance(base / "results.json", base / "compliance"),
    )
