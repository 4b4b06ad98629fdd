"""The item-schema check against a fake booking API: it blames the clause linked to the
collection (operation) it ran for."""

from __future__ import annotations

from pathlib import Path

from harness.checks import get_check
from harness.engine import run_check
from tests.checks.records._fake_booking import fake_booking_api
from tests.support.sessions import fake_session


def test_a_product_list_without_data_products_is_blamed_on_the_products_clause(
    tmp_path: Path,
) -> None:
    items = [{"short_id": "P1", "name": "Tour", "disabled": False}]
    session = fake_session(tmp_path, "turitop", fake_booking_api({"items": items}))
    spec = get_check("records.item-schema")
    op = session.profile.operation("products.list")
    result = run_check(session, spec, op)
    assert {f.clause for f in result.findings} == {"TURI-DATA-PRODUCTS"}


def test_a_product_with_a_textual_disabled_flag_is_found(tmp_path: Path) -> None:
    items = [{"short_id": "P1", "name": "Tour", "disabled": "no"}]
    session = fake_session(tmp_path, "turitop", fake_booking_api({"products": items}))
    result = run_check(
        session, get_check("records.item-schema"), session.profile.operation("products.list")
    )
    assert {f.clause for f in result.findings} == {"TURI-DATA-PRODUCTS"}
    assert "/data/products/0/disabled" in result.findings[0].message


def test_the_item_schema_aspects_are_the_collections_and_route_to_their_clauses() -> None:
    from harness.checks import routing_for
    from harness.profiles import load_profile

    spec = get_check("records.item-schema")
    aspects = spec.aspects(load_profile("turitop"))
    assert aspects == ("bookings.list", "products.list")
    routing = routing_for("turitop")
    assert [c.id for c in routing.route(spec.name, ("bookings.list",))] == ["TURI-DATA-BOOKING"]
    assert [c.id for c in routing.route(spec.name, ("products.list",))] == ["TURI-DATA-PRODUCTS"]
