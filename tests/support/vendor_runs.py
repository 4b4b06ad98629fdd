"""The vendor-concern checks of a vendor run against its emulator, once per (vendor,
fault) in a test session, and judged for one check package (``jsonp.``, ``writes.``, ...).

For the emulator tests of the feature packages::

    @pytest.mark.parametrize("vendor", linking_vendors("jsonp."))
    def test_the_jsonp_checks_on_the_emulators(vendor: str) -> None:
        assert_clean_and_exact(vendor, "jsonp.")
"""

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


@cache
def _tls() -> tuple[TLSFiles, Path]:
    folder = Path(tempfile.mkdtemp(prefix="vendor-runs-"))
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


def linking_vendors(prefix: str) -> tuple[str, ...]:
    """The vendors that link a check of the package ``prefix``."""
    return tuple(v for v in vendor_names() if package_clauses(v, prefix))


def package_faults(prefix: str) -> list[tuple[str, str, str]]:
    """(vendor, fault, clause) of every emulator fault on a clause of the package."""
    return [
        (vendor, f.name, f.clause)
        for vendor in linking_vendors(prefix)
        for f in vendor_module(vendor).FAULTS
        if f.clause in package_clauses(vendor, prefix)
    ]


def assert_clean(vendor: str, prefix: str) -> None:
    """The clean emulator breaks no clause of the package: no finding, error or skip (in
    each mode a fault of the vendor is proven in)."""
    for strict in _modes(vendor):
        results = of_package(vendor_run(vendor, None, strict), prefix)
        assert results, f"no {prefix} check is linked for {vendor}"
        assert [r.reason for r in results if r.outcome == "error"] == [], strict
        assert [f.one_line() for r in results for f in r.findings] == [], strict
        assert [r.check for r in results if r.outcome == "skipped"] == [], strict


def assert_exact(vendor: str, prefix: str) -> None:
    """Each fault on a clause of the package is found on exactly that clause (in strict mode
    for a fault marked strict); every other fault is blamed on none of them. A fault that
    follows a documented reading leaves lenient mode, which accepts every reading, clean."""
    mine = package_clauses(vendor, prefix)
    for fault in vendor_module(vendor).FAULTS:
        results = of_package(vendor_run(vendor, fault.name, fault.strict), prefix)
        found = {f.clause for r in results for f in r.findings}
        expected = {fault.clause} if fault.clause in mine else set()
        assert found == expected, (vendor, fault.name)
        assert [r.reason for r in results if r.outcome == "error"] == [], fault.name
        if fault.reading is not None:
            lenient = of_package(vendor_run(vendor, fault.name), prefix)
            assert [f.one_line() for r in lenient for f in r.findings] == [], fault.name


def assert_clean_and_exact(vendor: str, prefix: str) -> None:
    assert_clean(vendor, prefix)
    assert_exact(vendor, prefix)
