"""Conformance suite: the transport concern, for every target, driven by the vendor profile."""

from __future__ import annotations

import pytest

from harness.pytest_plugin import Case

pytestmark = pytest.mark.concern("transport")


def test_transport(harness_case: Case) -> None:
    harness_case.run()
