"""Shared fixtures for the harness's own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness._resources import vendor_names
from harness.validation import SchemaStore, default_store

VENDORS = vendor_names()


@pytest.fixture(scope="session")
def store() -> SchemaStore:
    return default_store()


@pytest.fixture
def vendor_copy(tmp_path: Path) -> Path:
    """An empty folder to write a broken vendor or target file into."""
    return tmp_path
