"""Waivers (accepted findings) and baselines (what changed since an earlier run).

A waiver file lists accepted findings; a waived finding still appears in every
report but does not fail the run. An expired waiver waives nothing and is reported,
and so is a waiver that no longer matches any finding::

    [[waiver]]
    vendor = "itrp"
    clause = "ITRP-PAGE-LINK"
    reason = "vendor ticket 4711, fix promised for 2027-01"
    expires = 2027-01-31            # valid through that day; or a date-time: 2027-01-31T18:00:00Z
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
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
    expires: date | datetime  # a day (valid through it) or an instant
    check: str | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            finding.vendor == self.vendor
            and finding.clause == self.clause
            and (self.check is None or finding.check == self.check)
        )

    def valid_at(self, now: date | datetime) -> bool:
        """Not expired at ``now`` (a date-time without an offset is local time)."""
        if isinstance(self.expires, datetime):
            if not isinstance(now, datetime):
                return self.expires.date() >= now
            return _aware(self.expires) > _aware(now)
        today = _aware(now).date() if isinstance(now, datetime) else now
        return self.expires >= today


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def _expiry(path: Path, index: int, value: Any) -> date | datetime:
    """A TOML date or date-time (or the same as an ISO 8601 string)."""
    if isinstance(value, str):
        for parse in (date.fromisoformat, datetime.fromisoformat):
            try:
                return parse(value)
            except ValueError:
                continue
    elif isinstance(value, date):  # datetime is a date too
        return value
    raise WaiverFileError(
        path,
        f"waiver[{index}].expires",
        f"got {value!r}",
        "expected a date such as 2027-01-31 or a date-time such as 2027-01-31T18:00:00Z",
    )


def load_waivers(path: Path) -> list[Waiver]:
    data = read_data(path, WaiverFileError)
    check_against(data, "waivers", path, WaiverFileError)
    return [
        Waiver(
            raw["vendor"],
            raw["clause"],
            raw["reason"],
            _expiry(path, index, raw["expires"]),
            raw.get("check"),
        )
        for index, raw in enumerate(data.get("waiver", []))
    ]


@dataclass
class WaiverReport:
    waived: list[tuple[Finding, Waiver]]
    active: list[Finding]
    expired: list[Waiver]
    unmatched: list[Waiver]


def apply_waivers(
    findings: Iterable[Finding], waivers: list[Waiver], today: date | datetime
) -> WaiverReport:
    """Split findings into waived and active; list expired and unmatched waivers."""
    valid = [w for w in waivers if w.valid_at(today)]
    expired = [w for w in waivers if not w.valid_at(today)]
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
