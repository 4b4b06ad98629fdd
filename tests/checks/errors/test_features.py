"""The error tables, typed: every profile's tables read into their dataclasses."""

from __future__ import annotations

from harness._resources import vendor_names
from harness.checks.errors._features import ERRORS, INVALID_PARAMS, NOT_ACCEPTABLE
from harness.profiles import load_profile


def test_every_profile_table_of_the_error_checks_reads_into_its_dataclass() -> None:
    read = 0
    for vendor in vendor_names():
        profile = load_profile(vendor)
        for key in (ERRORS, NOT_ACCEPTABLE, INVALID_PARAMS):
            if key.present(profile):
                assert key.read(profile) is not None, (vendor, key.name)
                read += 1
    assert read


def test_error_types_stay_a_status_to_type_table() -> None:
    """The Turris emulator reads ``[features.errors] types`` raw."""
    for vendor in vendor_names():
        table = load_profile(vendor).features.get("errors") or {}
        for status, kind in (table.get("types") or {}).items():
            assert str(status).isdigit() and isinstance(kind, str), (vendor, status)
