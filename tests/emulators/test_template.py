"""Every vendor emulator is a package on one template (see harness/emulators/_base.py).

``__init__`` (docstring; re-exports exactly FAULTS, credentials, create_app), ``_app``
(``create_app``), ``_data`` (``credentials``, defined there or in a module of the same
package it imports) and ``_faults`` (``FAULTS``, the one place
each fault is registered, with the name constants the app imports).
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

from harness._resources import vendor_names
from harness.catalog import load_clauses
from harness.emulators import Fault
from harness.profiles import load_profile

VENDORS = vendor_names()
MODULES = ("__init__", "_app", "_data", "_faults")
EXPORTS = ["FAULTS", "create_app", "credentials"]


def package(vendor: str) -> ModuleType:
    return importlib.import_module(f"harness.emulators.{vendor}")


def module(vendor: str, name: str) -> ModuleType:
    return importlib.import_module(f"harness.emulators.{vendor}.{name}")


def folder(vendor: str) -> Path:
    return Path(inspect.getfile(package(vendor))).parent


def test_every_vendor_has_an_emulator_package() -> None:
    assert VENDORS
    for vendor in VENDORS:
        assert (folder(vendor) / "__init__.py").is_file(), vendor


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_package_has_the_template_modules(vendor: str) -> None:
    present = {p.stem for p in folder(vendor).glob("*.py")}
    assert set(MODULES) <= present, f"{vendor} lacks {sorted(set(MODULES) - present)}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_init_documents_the_api_and_exports_exactly_the_three_names(vendor: str) -> None:
    pkg = package(vendor)
    assert (pkg.__doc__ or "").strip(), f"{vendor}/__init__.py has no docstring"
    assert sorted(pkg.__all__) == EXPORTS
    public = {
        name
        for name, value in vars(pkg).items()
        if not name.startswith("_") and not isinstance(value, ModuleType) and name != "annotations"
    }
    assert public == set(EXPORTS), f"{vendor} also exposes {sorted(public - set(EXPORTS))}"
    assert pkg.create_app is module(vendor, "_app").create_app
    assert pkg.credentials is module(vendor, "_data").credentials
    assert pkg.FAULTS is module(vendor, "_faults").FAULTS


@pytest.mark.parametrize("vendor", VENDORS)
def test_app_defines_create_app_taking_the_context(vendor: str) -> None:
    create_app = module(vendor, "_app").create_app
    assert create_app.__module__ == f"harness.emulators.{vendor}._app"
    assert list(inspect.signature(create_app).parameters) == ["ctx"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_data_defines_credentials_with_the_profile_keys(vendor: str) -> None:
    credentials = module(vendor, "_data").credentials
    # _data may import it from a module of its own package (TopTickets: _keys), never share it
    assert credentials.__module__.startswith(f"harness.emulators.{vendor}.")
    found = credentials()
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in found.items())
    assert set(load_profile(vendor).credential_keys) <= set(found)


@pytest.mark.parametrize("vendor", VENDORS)
def test_faults_name_clauses_of_the_vendor_catalog_with_unique_names(vendor: str) -> None:
    faults = module(vendor, "_faults").FAULTS
    assert isinstance(faults, tuple) and faults
    assert all(isinstance(f, Fault) for f in faults)
    names = [f.name for f in faults]
    assert len(names) == len(set(names)), f"{vendor} registers a fault name twice"
    clauses = {c.id for c in load_clauses(vendor)}
    unknown = [(f.name, f.clause) for f in faults if f.clause not in clauses]
    assert unknown == [], f"{vendor} faults name clauses outside its catalog"


@pytest.mark.parametrize("vendor", VENDORS)
def test_faults_are_registered_in_the_fault_modules_and_consulted_through_constants(
    vendor: str,
) -> None:
    """Faults are built only in ``_faults*.py`` (``_faults.py`` exports ``FAULTS``); a
    switch's name is a constant, spelled out once where it is defined and imported
    wherever the app consults it."""
    faults_module = module(vendor, "_faults")
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder(vendor).glob("*.py")}
    for name, text in texts.items():
        if not name.startswith("_faults"):
            assert "Fault(" not in text, f"{vendor}/{name} registers a fault outside _faults*.py"
    for fault in faults_module.FAULTS:
        quoted = (f'"{fault.name}"', f"'{fault.name}'")
        defining = [
            n
            for n, text in texts.items()
            if re.search(rf"^[A-Z][A-Z0-9_]* = {quoted[0]}", text, re.M)
        ]
        if fault.wrap is None:  # a switch: the app consults it by the constant
            assert defining, f"{fault.name} has no name constant in {vendor}'s package"
        spelled = [
            n
            for n, text in texts.items()
            if n not in defining and not n.startswith("_faults") and any(q in text for q in quoted)
        ]
        assert spelled == [], f"{fault.name} is spelled out in {spelled}, not imported"
