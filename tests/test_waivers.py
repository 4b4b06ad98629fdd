"""Waivers expire on a date (valid through that day) or at a date-time (an instant)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from harness.findings import Finding
from harness.waivers import WaiverFileError, apply_waivers, load_waivers

FINDING = Finding("itrp", "ITRP-PAGE-LINK", "pagination.link", "t", "m")
HEAD = '[[waiver]]\nvendor = "itrp"\nclause = "ITRP-PAGE-LINK"\nreason = "ticket 4711"\n'


def _waivers(tmp_path: Path, expires: str) -> Path:
    path = tmp_path / "waivers.toml"
    path.write_text(HEAD + f"expires = {expires}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("expires", "now", "active"),
    [
        ("2027-01-31", datetime(2027, 1, 31, 23, 0, tzinfo=UTC), False),  # valid all that day
        ("2027-01-31", datetime(2027, 2, 1, 12, 0, tzinfo=UTC), True),
        ("2027-01-31T18:00:00Z", datetime(2027, 1, 31, 17, 59, tzinfo=UTC), False),
        ("2027-01-31T18:00:00Z", datetime(2027, 1, 31, 18, 0, tzinfo=UTC), True),
        ("2027-01-31T18:00:00+02:00", datetime(2027, 1, 31, 16, 30, tzinfo=UTC), True),
        ('"2027-01-31T18:00:00Z"', datetime(2027, 1, 31, 12, 0, tzinfo=UTC), False),
        ("2027-01-31T18:00:00Z", date(2027, 1, 31), False),  # a day: the waiver's own day
    ],
)
def test_a_waiver_expires_at_its_date_or_date_time(
    tmp_path: Path, expires: str, now: datetime | date, active: bool
) -> None:
    report = apply_waivers([FINDING], load_waivers(_waivers(tmp_path, expires)), now)
    assert (report.active == [FINDING]) is active
    assert bool(report.expired) is active


def test_a_local_date_time_is_the_local_time(tmp_path: Path) -> None:
    local = datetime.now().astimezone()
    soon = (local + timedelta(minutes=5)).replace(tzinfo=None, microsecond=0)
    waivers = load_waivers(_waivers(tmp_path, soon.isoformat()))
    assert not apply_waivers([FINDING], waivers, local).active
    later = local.astimezone(timezone(timedelta(hours=-11))) + timedelta(minutes=10)
    assert apply_waivers([FINDING], waivers, later).active


@pytest.mark.parametrize("expires", ["12:00:00", '"next spring"', "20270131"])
def test_an_expiry_that_is_no_date_names_the_key(tmp_path: Path, expires: str) -> None:
    with pytest.raises(WaiverFileError, match=r"key 'waiver\[0\]\.expires'.*date-time"):
        load_waivers(_waivers(tmp_path, expires))
