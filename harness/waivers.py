"""Waivers (accepted findings) and baselines (what changed since an earlier run).

A waiver file lists accepted findings; a waived finding still appears in every
report but does not fail the run. An expired waiver waives nothing and is reported,
and so is a waiver that no longer matches any finding::

    [[waiver]]
    vendor = "itrp"
    clause = "ITRP-PAGE-LINK"
    reason = "vendor ticket 4711, fix promised for 2027-01"
    expires = 2027-01-31
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from harness._tomlfile import check_against, read_data
from harness.errors import ConfigError
from harness.findings import Finding
from harness.reporting.results import read_results

__all__ = [
    "Baseline",
    "Waiver",
    "WaiverReport",
    "apply_waivers",
    "compare_baseline",
    "load_waivers",
]


class WaiverFileError(ConfigError):
    """A waiver or baseline file is missing or invalid."""


@dataclass(frozen=True)
class Waiver:
    vendor: str
    clause: str
    reason: str
    expires: date
    check: str | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            finding.vendor == self.vendor
            and finding.clause == self.clause
            and (self.check is None or finding.check == self.check)
        )


def load_waivers(path: Path) -> list[Waiver]:
    data = read_data(path, WaiverFileError)
    check_against(data, "waivers", path, WaiverFileError)
    waivers = []
    for index, raw in enumerate(data.get("waiver", [])):
        expires = raw["expires"]
        if not isinstance(expires, date):
            raise WaiverFileError(
                path,
                f"waiver[{index}].expires",
                f"got {expires!r}",
                "expected a TOML date such as 2027-01-31",
            )
        waivers.append(
            Waiver(raw["vendor"], raw["clause"], raw["reason"], expires, raw.get("check"))
        )
    return waivers


@dataclass
class WaiverReport:
    waived: list[tuple[Finding, Waiver]]
    active: list[Finding]
    expired: list[Waiver]
    unmatched: list[Waiver]


def apply_waivers(findings: Iterable[Finding], waivers: list[Waiver], today: date) -> WaiverReport:
    """Split findings into waived and active; list expired and unmatched waivers."""
    valid = [w for w in waivers if w.expires >= today]
    expired = [w for w in waivers if w.expires < today]
    report = WaiverReport([], [], expired, [])
    used: set[int] = set()
    for finding in findings:
        waiver = next((w for w in valid if w.matches(finding)), None)
        if waiver is None:
            report.active.append(finding)
        else:
            report.waived.append((finding, waiver))
            used.add(id(waiver))
    report.unmatched = [w for w in valid if id(w) not in used]
    return report


@dataclass
class Baseline:
    new: list[dict[str, Any]]
    fixed: list[dict[str, Any]]


def _key(f: dict[str, Any]) -> tuple[str, str, str, str]:
    return (f["vendor"], f["clause"], f["check"], f.get("operation", ""))


def read_results_findings(path: Path) -> list[dict[str, Any]]:
    """The findings of an earlier run's results.json, as data."""
    return [f.as_dict() for f in read_results(path).findings]


def compare_baseline(
    current: list[dict[str, Any]],
    earlier: list[dict[str, Any]],
    canonical: Callable[[str], str] = lambda name: name,
) -> Baseline:
    """New and fixed findings; ``canonical`` maps an earlier check id to today's."""
    now = {_key(f): f for f in current}
    before = {_key({**f, "check": canonical(f["check"])}): f for f in earlier}
    return Baseline(
        new=[now[k] for k in sorted(now.keys() - before.keys())],
        fixed=[before[k] for k in sorted(before.keys() - now.keys())],
    )
