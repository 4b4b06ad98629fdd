"""Where the payload sits and the format of ids: the sorting of schema violations by what
they are about, and the shape and id checks on scripted ITRP answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.checks._shapes import classify
from harness.validation import Violation
from tests.checks.envelope._servers import REQUEST, clauses, itrp, run


def _violation(pointer: str, rule: str, value: Any = None, message: str = "") -> Violation:
    return Violation("s", pointer, rule, value, message, "")


def test_violations_are_sorted_into_shape_ids_timestamps_records_and_metadata() -> None:
    keys, meta = frozenset({"id"}), frozenset({"requestId"})
    listed = [REQUEST]
    assert classify(_violation("", "type"), {"items": listed}, keys, meta) == "shape"
    assert classify(_violation("/0/site/id", "type", "13"), listed, keys, meta) == "id"
    stamp = _violation("/0/created_at", "pattern", "2025-01-15T10:30:00+02:00", "does not match")
    assert classify(stamp, listed, keys, meta) == "timestamp"
    assert classify(_violation("/0/subject", "type", 3), listed, keys, meta) == "record"
    wrapped = {"requestId": 3, "data": listed}
    assert classify(_violation("/requestId", "type", 3), wrapped, keys, meta) == "meta"
    assert classify(_violation("/requestId", "required"), {"data": listed}, keys, meta) == "shape"


def test_a_payload_wrapped_twice_is_a_shape_violation_not_a_record_one() -> None:
    keys = frozenset({"agencyId"})
    body = {"requestId": "r", "data": {"requestId": "r", "data": {"agencyId": "a"}}}
    violation = _violation("/data/agencyId", "required")
    assert classify(violation, body, keys, frozenset({"requestId"})) == "shape"


def test_a_wrapped_collection_breaks_the_bare_body_clause_but_a_bad_date_does_not(
    tmp_path: Path,
) -> None:
    wrapped = run(
        tmp_path,
        "itrp",
        "envelope.list-shape",
        itrp({"requests": [REQUEST]}),
        operation="requests.list",
    )
    assert clauses(wrapped) == {"ITRP-ENV-BARE"}
    late = [{**REQUEST, "created_at": "yesterday"}]
    dated = run(tmp_path, "itrp", "envelope.list-shape", itrp(late), operation="requests.list")
    assert dated.outcome == "passed", dated.findings
    ids = run(tmp_path, "itrp", "envelope.id-format", itrp(late), operation="requests.list")
    assert ids.outcome == "passed", ids.findings


def test_string_ids_in_references_break_the_integer_id_clause(tmp_path: Path) -> None:
    body = [{**REQUEST, "requested_by": {"id": "13", "name": "Howard"}}]
    result = run(tmp_path, "itrp", "envelope.id-format", itrp(body), operation="requests.list")
    assert clauses(result) == {"ITRP-ENV-INTEGER-IDS"}
    assert "/0/requested_by/id" in result.findings[0].message
    shape = run(tmp_path, "itrp", "envelope.list-shape", itrp(body), operation="requests.list")
    assert shape.outcome == "passed", shape.findings
