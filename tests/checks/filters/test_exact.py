"""The exact-match filter check reports about one filter parameter at a time: each
parameter's findings go to the clause the vendor links for it."""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.checks import get_check, routing_for
from harness.checks.filters._features import FILTERS
from harness.checks.filters.exact import exact_params
from harness.profiles import load_profile

VENDORS = tuple(v for v in vendor_names() if exact_params(load_profile(v)))


def test_some_vendor_documents_exact_filters() -> None:
    assert VENDORS


@pytest.mark.parametrize("vendor", VENDORS)
def test_each_exact_filter_routes_to_its_own_clause(vendor: str) -> None:
    profile = load_profile(vendor)
    spec = get_check("filters.exact")
    assert spec.aspects(profile) == exact_params(profile)
    routing = routing_for(vendor)
    routed = {p: {c.id for c in routing.route(spec.name, (p,))} for p in exact_params(profile)}
    assert all(len(ids) == 1 for ids in routed.values()), routed
    assert len({next(iter(ids)) for ids in routed.values()}) == len(routed), routed


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_exact_filters_are_documented_filters(vendor: str) -> None:
    table = FILTERS.read(load_profile(vendor))
    assert table is not None and table.params is not None
    assert set(table.exact) <= set(table.params)
    assert table.search is None or table.search in table.params
