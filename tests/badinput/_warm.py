"""Imported once by the fork server: what commands load first (their modules, the vendor
profiles, the catalog, the schemas) is then already in memory in each forked command, as
it would be after the first second of a real one."""

from __future__ import annotations

import importlib

from harness._tomlfile import harness_schema
from harness.catalog import load_catalog
from harness.profiles import load_all_profiles

for _module in ("harness.runner", "harness.reporting.har", "harness.reporting.progress"):
    importlib.import_module(_module)
load_all_profiles()
load_catalog()
for _name in ("target", "waivers"):
    harness_schema(_name)
