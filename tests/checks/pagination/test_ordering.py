"""Reading an order from records: timestamps compare as instants, not as text."""

from __future__ import annotations

from harness.checks.pagination.ordering import first_inversion, order_direction


def test_an_order_inversion_is_found_by_timestamp_not_by_text() -> None:
    records = [
        {"created": "2024-01-02T00:00:00Z"},
        {"created": "2024-01-01T23:00:00-02:00"},  # later than the first, written earlier
    ]
    assert first_inversion(records, "created", "asc") is None
    assert first_inversion(records, "created", "desc") == 0
    assert order_direction("asc") == "asc" and order_direction("DESC") == "desc"
