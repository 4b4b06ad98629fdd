"""The fuzz checks that judge cheap, already-sent requests run before the one that spends
seconds generating schemathesis cases, so what they find is known first."""

from __future__ import annotations

from pathlib import Path

from harness.engine import plan_target
from harness.targets import load_target
from tests.support.sessions import fake_target_file


def test_the_openapi_fuzz_check_runs_after_every_other_fuzz_check(tmp_path: Path) -> None:
    path = fake_target_file(tmp_path, "toptickets", allow={"writes": True})
    plan = plan_target(load_target(path, environ={}))
    fuzz = [c.spec.name for c in plan.checks if c.spec.concern == "fuzz"]

    assert "fuzz.openapi" in fuzz and "fuzz.write-bodies" in fuzz
    assert fuzz.index("fuzz.openapi") == len(fuzz) - 1
