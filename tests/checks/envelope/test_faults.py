"""The envelope and transport checks against the emulators: nothing on the clean ones, and
each fault of a clause they verify found on that clause (and on no other).

Both concerns run together: envelope clauses are partly verified by transport checks
(media type, JSON bodies), and a fault must not make either concern report elsewhere.
"""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import load_all
from harness.emulators import vendor_module
from harness.selftest import selftest

CONCERNS = ("envelope", "transport")


def _faults_on_our_clauses(vendor: str) -> list[str]:
    """The vendor's emulator faults whose clause a check of these concerns verifies."""
    registry = load_all()
    ours = {
        c.id
        for c in load_clauses(vendor)
        if any(n in registry and registry[n].concern in CONCERNS for n in c.checks)
    }
    return [f.name for f in vendor_module(vendor).FAULTS if f.clause in ours]


def test_some_vendor_has_a_fault_on_an_envelope_or_transport_clause() -> None:
    assert any(_faults_on_our_clauses(v) for v in vendor_names())


@pytest.mark.parametrize("vendor", vendor_names())
def test_the_envelope_checks_find_each_fault_on_its_clause_and_nothing_when_clean(
    vendor: str,
) -> None:
    outcome = selftest((vendor,), concerns=CONCERNS)
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == len(_faults_on_our_clauses(vendor))
