"""The main idempotency header and each alternative are separate checks, each reporting
on its own clause (no clause is picked by what it says)."""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.checks import get_check, routing_for
from harness.checks.idempotency._features import IDEMPOTENCY
from harness.profiles import load_profile

VENDORS = tuple(v for v in vendor_names() if IDEMPOTENCY.present(load_profile(v)))


def test_some_vendor_documents_idempotency_keys() -> None:
    assert VENDORS


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_main_and_alternative_headers_report_on_different_clauses(vendor: str) -> None:
    routing = routing_for(vendor)
    main = {c.id for c in routing.route(get_check("idempotency.replay").name)}
    alternative = {c.id for c in routing.route(get_check("idempotency.alt-header").name)}
    assert len(main) == len(alternative) == 1
    assert main != alternative


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_headers_are_read_typed(vendor: str) -> None:
    table = IDEMPOTENCY.read(load_profile(vendor))
    assert table is not None and table.headers
    assert all(isinstance(h, str) for h in table.headers)
