"""Conformance suite: the ratelimit concern, for every target, driven by the vendor profile."""

from __future__ import annotations

import pytest

from harness.pytest_plugin import Case

pytestmark = pytest.mark.concern("ratelimit")


def test_ratelimit(harness_case: Case) -> None:
    harness_case.run()
