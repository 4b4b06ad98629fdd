"""The oversize readings of a limit above the maximum, in lenient and strict mode, against
a hand-made TopTickets-like server paged by offset/limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.pagination._servers import offset_clauses, offset_like


@pytest.mark.parametrize("oversize", ["reject", "clamp"])
def test_lenient_mode_accepts_both_readings_of_an_oversized_limit(
    tmp_path: Path, oversize: str
) -> None:
    found = offset_clauses(tmp_path, offset_like(oversize=oversize), "pagination.max-size")
    assert found == set()


def test_strict_mode_holds_an_oversized_limit_to_the_strict_reading(tmp_path: Path) -> None:
    clamp = offset_like(oversize="clamp")
    assert offset_clauses(tmp_path, clamp, "pagination.max-size", strict=True) == {"TOP-PAGE-MAX"}
    reject = offset_like(oversize="reject")
    assert offset_clauses(tmp_path, reject, "pagination.max-size", strict=True) == set()
