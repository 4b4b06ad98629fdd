"""Conformance suite: the rate-limit concern, for every target, driven by the vendor profile."""

from __future__ import annotations

import pytest

from harness.pytest_plugin import Case

pytestmark = pytest.mark.concern("rate-limit")


def test_rate_limit(harness_case: Case) -> None:
    harness_case.run()
