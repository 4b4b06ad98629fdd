"""Conformance suite: the fuzz concern, for every target, driven by the vendor profile."""

from __future__ import annotations

import pytest

from harness.pytest_plugin import Case

pytestmark = pytest.mark.concern("fuzz")


def test_fuzz(harness_case: Case) -> None:
    harness_case.run()
