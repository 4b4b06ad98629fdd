"""The envelope and transport checks against the emulators: nothing on the clean ones, and
each fault of a clause they verify found on that clause (and on no other).

Both concerns run together: envelope clauses are partly verified by transport checks
(media type, JSON bodies), and a fault must not make either concern report elsewhere.
A clause may also be verified by a check of another concern (a malformed id answered with
an undocumented status is provoked by the fuzz checks): the proofs run those concerns too,
and judge exactly the faults of our clauses.
"""

from __future__ import annotations

import pytest

from harness._resources import vendor_names
from harness.catalog import Clause, load_clauses
from harness.checks import load_all
from harness.emulators import vendor_module
from harness.selftest import selftest

CONCERNS = ("envelope", "transport")


def _our_clauses(vendor: str) -> list[Clause]:
    """The vendor's clauses a check of these concerns verifies."""
    registry = load_all()
    return [
        c
        for c in load_clauses(vendor)
        if any(n in registry and registry[n].concern in CONCERNS for n in c.checks)
    ]


def _faults_on_our_clauses(vendor: str) -> list[str]:
    """The vendor's emulator faults whose clause a check of these concerns verifies."""
    ours = {c.id for c in _our_clauses(vendor)}
    return [f.name for f in vendor_module(vendor).FAULTS if f.clause in ours]


def _concerns_verifying_our_clauses(vendor: str) -> tuple[str, ...]:
    """These concerns, and those of every other check linked to one of our clauses."""
    registry = load_all()
    linked = {registry[n].concern for c in _our_clauses(vendor) for n in c.checks if n in registry}
    return tuple(sorted(linked | set(CONCERNS)))


def test_some_vendor_has_a_fault_on_an_envelope_or_transport_clause() -> None:
    assert any(_faults_on_our_clauses(v) for v in vendor_names())


@pytest.mark.parametrize("vendor", vendor_names())
def test_the_envelope_checks_find_each_fault_on_its_clause_and_nothing_when_clean(
    vendor: str,
) -> None:
    faults = _faults_on_our_clauses(vendor)
    concerns = _concerns_verifying_our_clauses(vendor) if faults else CONCERNS
    outcome = selftest((vendor,), concerns=concerns, only=tuple(faults))
    assert outcome.perfect, outcome.summary()
    assert outcome.detected == len(faults)
