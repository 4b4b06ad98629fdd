"""`harness selftest`: every fault of the catalog is detected on its own clause, nothing is
blamed on another clause, and the clean emulators yield no finding and no harness error."""

from __future__ import annotations

import pytest

from harness.cli import main
from harness.emulators import fault_catalog


def test_selftest_detects_every_fault_on_its_clause(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["selftest"])
    out = capsys.readouterr().out
    total = sum(len(f) for f in fault_catalog().values())
    assert f"detected {total}/{total}" in out, out[-3000:]
    assert "wrong clause" not in out and "undetected" not in out and "error under" not in out
    assert "clean" in out and ", 0 findings" in out
    assert code == 0
