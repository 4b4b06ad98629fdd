"""What the selftest has to prove, per vendor: the checked clauses, the faults that break
them, the clauses with a written reason why no fault can, and the ones left uncovered.

Loading refuses (a one-line :class:`ConfigError` naming the file and key) a fault that
names a clause outside its vendor's catalog or one no check verifies, a reading that is
not a non-strict reading of its clause's ambiguity, two faults of one name, and a clause
that is both faulted and declared ``unfaultable``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness._resources import vendor_folder, vendor_names
from harness.catalog import Clause, load_clauses
from harness.checks import get_check, load_all
from harness.emulators import Fault, vendor_module
from harness.errors import ConfigError, HarnessError, ProfileError

__all__ = ["VendorPlan", "check_vendors", "load_plan", "validate_faults"]


@dataclass(frozen=True)
class VendorPlan:
    """One vendor's clauses and faults, narrowed to the checks of ``concerns`` if given."""

    vendor: str
    clauses: tuple[Clause, ...]  # every clause with a check (of the concerns)
    faults: tuple[Fault, ...]  # every fault of such a clause, in catalog order

    @property
    def checked(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.clauses)

    @property
    def faulted(self) -> frozenset[str]:
        return frozenset(f.clause for f in self.faults)

    @property
    def unfaultable(self) -> dict[str, str]:
        """Checked clauses with a written reason why no fault can be built."""
        return {c.id: c.unfaultable for c in self.clauses if c.unfaultable}

    @property
    def uncovered(self) -> tuple[Clause, ...]:
        """Checked clauses with neither a fault nor a written reason."""
        return tuple(c for c in self.clauses if c.id not in self.faulted and not c.unfaultable)


def check_vendors(vendors: Iterable[str]) -> tuple[str, ...]:
    """The vendors asked for (every vendor if none); an unknown one is a harness error."""
    names = tuple(vendors) or vendor_names()
    for vendor in names:
        if vendor not in vendor_names():
            raise HarnessError(
                f"unknown vendor {vendor!r}; known vendors: {', '.join(vendor_names())}"
            )
    return names


def _in_concerns(clause: Clause, concerns: tuple[str, ...] | None) -> bool:
    if not clause.checks:
        return False
    if concerns is None:
        return True
    load_all()
    return any(_concern(name) in concerns for name in clause.checks)


def _concern(check: str) -> str | None:
    try:
        return get_check(check).concern
    except KeyError:
        return None


def _emulator_file(vendor: str) -> str:
    return str(getattr(vendor_module(vendor), "__file__", f"the {vendor} emulator"))


def validate_faults(vendor: str, faults: tuple[Fault, ...], clauses: dict[str, Clause]) -> None:
    """Refuse a fault the selftest could not judge (see the module docstring)."""
    where = _emulator_file(vendor)
    catalog = vendor_folder(vendor) / "clauses.toml"
    seen: set[str] = set()
    for fault in faults:
        key = f"FAULTS[{fault.name}]"
        if fault.name in seen:
            raise ConfigError(where, key, "the name is registered twice", "rename one fault")
        seen.add(fault.name)
        clause = clauses.get(fault.clause)
        if clause is None:
            raise ConfigError(
                where,
                key,
                f"breaks {fault.clause!r}, which is not a clause of {vendor}",
                f"use an id from {catalog}",
            )
        if not clause.checks:
            raise ConfigError(
                where,
                key,
                f"breaks {clause.id}, which no check verifies, so nothing could detect it",
                f"link a check to {clause.id} in {vendor_folder(vendor) / 'links'}",
            )
        if clause.unfaultable:
            raise ProfileError(
                catalog,
                f"{clause.id}.unfaultable",
                f"says no fault can be built for {clause.id}, but fault {fault.name} breaks it",
                "drop unfaultable now that a fault proves the clause's checks",
            )
        _validate_reading(fault, clause, where, key)


def _validate_reading(fault: Fault, clause: Clause, where: str, key: str) -> None:
    if fault.reading is None:
        return
    amb = clause.ambiguity
    if amb is None:
        raise ConfigError(
            where,
            f"{key}.reading",
            f"names reading {fault.reading!r}, but {clause.id} records no ambiguity",
            "drop reading (use strict=True for a fault proven in strict mode only)",
        )
    others = [r for r in amb.readings if r != amb.strict]
    if fault.reading not in others:
        raise ConfigError(
            where,
            f"{key}.reading",
            f"{fault.reading!r} is not a non-strict reading of {clause.id} (strict mode "
            f"reads it as {amb.strict!r}, and only a fault off that reading is caught there)",
            "name one of: " + ", ".join(others),
        )


def load_plan(
    vendors: Iterable[str] = (), concerns: tuple[str, ...] | None = None
) -> dict[str, VendorPlan]:
    """The plan of each vendor (every vendor if none), validated against its catalog."""
    plans: dict[str, VendorPlan] = {}
    for vendor in check_vendors(vendors):
        clauses = load_clauses(vendor)
        faults = tuple(vendor_module(vendor).FAULTS)
        validate_faults(vendor, faults, {c.id: c for c in clauses})
        checked = tuple(c for c in clauses if _in_concerns(c, concerns))
        ids = {c.id for c in checked}
        plans[vendor] = VendorPlan(vendor, checked, tuple(f for f in faults if f.clause in ids))
    return plans
