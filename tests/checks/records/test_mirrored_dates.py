"""Comparing a Unix-seconds date with its ISO 8601 mirror."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.checks import CheckContext
from harness.checks.records.mirrored_dates import mismatch
from tests.checks.records._fake_booking import fake_booking_api
from tests.support.sessions import fake_session


@pytest.mark.parametrize("strict", [False, True])
def test_a_wall_clock_mirror_without_offset_passes_only_leniently(
    strict: bool, tmp_path: Path
) -> None:
    session = fake_session(tmp_path, "turitop", fake_booking_api({}), strict=strict)
    ctx = CheckContext(session=session, check="records.date-mirror")
    seconds = int(datetime(2024, 7, 13, 15, tzinfo=UTC).timestamp())
    assert mismatch(ctx, seconds, "2024-07-13T15:00:00Z") is None
    assert mismatch(ctx, seconds, "2024-07-13T16:00:00Z") is not None
    assert (mismatch(ctx, seconds, "2024-07-13T17:00:00") is None) is not strict
