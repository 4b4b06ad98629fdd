"""Fixtures of the report tests: one full run per session (see ``_full_run``)."""

from __future__ import annotations

import pytest

from tests.reporting._full_run import FullRun, full_run_in


@pytest.fixture(scope="session")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> FullRun:
    """Every vendor's emulator, ITRP faulted: Allure results, HAR, results and compliance."""
    return full_run_in(tmp_path_factory.mktemp("full-run"))
