"""Conformance suite: the envelope concern, for every target, driven by the vendor profile."""

from __future__ import annotations

import pytest

from harness.pytest_plugin import Case

pytestmark = pytest.mark.concern("envelope")


def test_envelope(harness_case: Case) -> None:
    harness_case.run()
