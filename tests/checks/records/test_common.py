"""The ways the vendor checks read records out of answers."""

from __future__ import annotations

from pathlib import Path

from harness.checks import CheckContext
from harness.checks._ops import walk
from harness.checks.records._common import records_of
from tests.checks.records._fake_booking import fake_booking_api
from tests.support.sessions import fake_session


def test_walk_yields_every_member_with_its_pointer() -> None:
    found = list(walk({"data": [{"agencyId": "a"}, {"agencyId": "b"}]}, list_items=False))
    assert ("/data/1/agencyId", "agencyId", "b") in found


def test_records_are_found_under_the_resource_name_or_the_items_pointer(tmp_path: Path) -> None:
    session = fake_session(tmp_path, "turitop", fake_booking_api({}))
    ctx = CheckContext(session=session, check="probe")
    products = session.profile.operation("products.list")
    bookings = session.profile.operation("bookings.list")
    assert records_of(ctx, products, {"data": {"products": [1]}}) == ("/data/products", [1])
    assert records_of(ctx, bookings, {"data": {"bookings": [2]}}) == ("/data/bookings", [2])
    assert records_of(ctx, products, {"data": {}}) is None
