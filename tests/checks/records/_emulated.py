"""Runs of the vendor checks against the emulators, shared by the records, filters,
collections and idempotency tests: each (vendor, fault) run is made once per session."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.checks import load_all
from harness.emulators import make_tls, vendor_module
from harness.emulators._server import TLSFiles
from harness.engine import CheckResult
from harness.selftest import run_all_checks

PACKAGES = ("records.", "filters.", "collections.", "idempotency.")


@cache
def _tls() -> tuple[TLSFiles, Path]:
    folder = Path(tempfile.mkdtemp(prefix="vendor-checks-"))
    return make_tls(folder / "tls"), folder


@cache
def vendor_run(vendor: str, fault: str | None, strict: bool = False) -> tuple[CheckResult, ...]:
    """Every vendor-concern check of ``vendor`` against its emulator (with ``fault``), in
    strict mode if ``strict`` (the mode a fault marked ``strict`` is proven in)."""
    tls, folder = _tls()
    faults = (fault,) if fault else ()
    return tuple(run_all_checks(vendor, faults, tls, folder, ("vendor",), strict))


def _modes(vendor: str) -> tuple[bool, ...]:
    """Lenient, and strict too when a fault of the vendor is proven in strict mode."""
    return (False, True) if any(f.strict for f in vendor_module(vendor).FAULTS) else (False,)


def of_package(results: tuple[CheckResult, ...], prefix: str) -> list[CheckResult]:
    return [r for r in results if r.check.startswith(prefix)]


def package_clauses(vendor: str, prefix: str) -> set[str]:
    """The clauses of ``vendor`` linked to a check of the package ``prefix``."""
    registry = load_all()
    return {
        c.id
        for c in load_clauses(vendor)
        if any(n.startswith(prefix) and n in registry for n in c.checks)
    }


def package_only_clauses(vendor: str, prefix: str) -> set[str]:
    """The clauses of ``vendor`` that only checks of the package ``prefix`` verify."""
    return {
        c.id
        for c in load_clauses(vendor)
        if c.checks and all(n.startswith(prefix) for n in c.checks)
    }


def linking_vendors(prefix: str) -> tuple[str, ...]:
    """The vendors that link a check of the package ``prefix``."""
    return tuple(v for v in vendor_names() if package_clauses(v, prefix))


def fault_names(vendor: str) -> list[str]:
    return [f.name for f in vendor_module(vendor).FAULTS]


def assert_clean_and_exact(vendor: str, prefix: str) -> None:
    """The clean emulator breaks no clause of the package (in each mode a fault is proven
    in); each fault on a clause only the package verifies is found on exactly that clause
    (in strict mode for a fault marked strict); no fault is blamed on another clause; and a
    fault that follows a documented reading leaves lenient mode, which accepts it, clean."""
    for strict in _modes(vendor):
        clean = of_package(vendor_run(vendor, None, strict), prefix)
        assert clean, f"no {prefix} check is linked for {vendor}"
        assert [r.reason for r in clean if r.outcome == "error"] == [], strict
        assert [f.one_line() for r in clean for f in r.findings] == [], strict
        assert [r.check for r in clean if r.outcome == "skipped"] == [], strict
    mine = package_clauses(vendor, prefix)
    own = package_only_clauses(vendor, prefix)
    for fault in vendor_module(vendor).FAULTS:
        results = of_package(vendor_run(vendor, fault.name, fault.strict), prefix)
        found = {f.clause for r in results for f in r.findings}
        if fault.clause in own:
            assert found == {fault.clause}, (vendor, fault.name)
        elif fault.clause in mine:
            # other packages verify the clause too and may be the ones to see this fault
            # (one answer in three, say): it is never blamed on another clause
            assert found <= {fault.clause}, (vendor, fault.name)
        else:
            assert found == set(), (vendor, fault.name)
        assert [r.reason for r in results if r.outcome == "error"] == [], fault.name
        if fault.reading is not None:
            lenient = of_package(vendor_run(vendor, fault.name), prefix)
            assert [f.one_line() for r in lenient for f in r.findings] == [], fault.name
