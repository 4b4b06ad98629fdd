"""Walks of a collection: their page sizes, and the walk-based checks against hand-made
ITRP-like (page/per_page) and TopTickets-like (offset/limit) servers."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from harness._resources import vendor_names
from harness.checks.pagination._common import first_divergence, reference_size, walk_size
from harness.profiles import load_profile
from tests.checks.pagination._servers import clauses_found, itrp_like, offset_clauses, offset_like


def test_the_walk_size_is_explicit_and_neither_the_default_nor_the_maximum() -> None:
    paged = [p for p in map(load_profile, vendor_names()) if p.pagination.style != "none"]
    assert paged
    for profile in paged:
        pagination = profile.pagination
        size = walk_size(pagination)
        assert size not in (pagination.default_size, pagination.max_size)
        assert math.ceil(330 / size) <= 15
        assert reference_size(pagination) == pagination.max_size


def test_first_divergence_finds_a_skipped_record_at_a_page_boundary() -> None:
    assert first_divergence(["a", "b", "c"], ["a", "b", "c", "d"]) is None
    assert first_divergence(["a", "c", "d"], ["a", "b", "c"]) == 1


@pytest.mark.parametrize(
    "check",
    [
        "pagination.exactly-once",
        "pagination.size-honoured",
        "pagination.full-pages",
        "pagination.link-relations",
        "pagination.link-syntax",
        "pagination.page-headers",
        "pagination.totals",
    ],
)
def test_a_well_paged_collection_passes(tmp_path: Path, check: str) -> None:
    assert clauses_found(tmp_path, itrp_like(), check) == set()


def test_pages_overlapping_by_one_record_break_exactly_once(tmp_path: Path) -> None:
    found = clauses_found(tmp_path, itrp_like(overlap=True), "pagination.exactly-once")
    assert found == {"ITRP-PAGE-PARAMS"}


def test_an_offset_that_skips_one_record_breaks_the_offset_clause(tmp_path: Path) -> None:
    handler = offset_like(skip_one=True)
    assert offset_clauses(tmp_path, handler, "pagination.exactly-once") == {"TOP-PAGE-OFFSET"}
    assert offset_clauses(tmp_path, handler, "pagination.full-pages") == set()
    assert offset_clauses(tmp_path, handler, "pagination.past-end") == set()
