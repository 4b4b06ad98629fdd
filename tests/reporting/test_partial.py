"""A run that checked too little says so: on its summary line, in results.json, and by
exiting 2 unless --allow-partial."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from harness.cli import main
from harness.emulators import RunningEmulator, run_emulator
from harness.reporting.partial import partial_reasons

BUDGET = 30  # requests: far fewer than ITRP's checks need


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with run_emulator("itrp") as emu:
        yield emu


@pytest.fixture
def small_budget(emulator: RunningEmulator, tmp_path: Path) -> Path:
    path = emulator.write_target(tmp_path / "itrp.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["budget"] = {"max_requests": BUDGET}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _run(
    target: Path, folder: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, dict[str, Any]]:
    results = folder / "results.json"
    code = main(["run", "--target-file", str(target), "--results", str(results), "-q", *extra])
    out = capsys.readouterr().out
    return code, out, json.loads(results.read_text(encoding="utf-8"))


def test_a_budget_exhausted_run_is_partial_and_exits_2(
    small_budget: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, data = _run(small_budget, tmp_path, capsys)
    last = out.strip().splitlines()[-1]
    assert code == 2 and data["exit_code"] == 2, out
    assert last.startswith("could not check enough (partial"), last
    assert last.endswith("-> exit 2")
    assert data["partial"] is True
    assert any("request budget ran out" in r for r in data["partial_reasons"]), data
    assert "itrp: the request budget ran out" in out


def test_allow_partial_exits_by_the_findings_and_still_says_partial(
    small_budget: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, data = _run(small_budget, tmp_path, capsys, "--allow-partial")
    last = out.strip().splitlines()[-1]
    assert code in (0, 1) and data["exit_code"] == code, out
    assert "(partial, allowed)" in last, last
    assert data["partial"] is True and data["partial_reasons"]


def test_a_run_within_its_budget_is_not_partial(
    emulator: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = emulator.write_target(tmp_path / "itrp.toml")
    code, out, data = _run(target, tmp_path, capsys, "--suite", "pagination")
    assert code == 0, out
    assert data["partial"] is False and data["partial_reasons"] == []
    assert "partial" not in out


@dataclass(frozen=True)
class _Result:
    vendor: str
    outcome: str
    budget_exhausted: bool = False


def test_more_skips_than_allowed_make_a_vendor_partial() -> None:
    results = [_Result("a", "skipped")] * 6 + [_Result("a", "passed")] * 4
    results += [_Result("b", "skipped")] * 2 + [_Result("b", "failed")] * 8
    reasons = partial_reasons(results, max_skipped=0.5)
    assert reasons == [
        "a: 6 of 10 checks skipped (60%, more than the 50% allowed; see `harness run -v` for why)"
    ]
    assert partial_reasons(results, max_skipped=0.6) == []


def test_one_check_without_budget_makes_the_run_partial() -> None:
    results = [_Result("a", "passed")] * 99 + [_Result("a", "skipped", budget_exhausted=True)]
    (reason,) = partial_reasons(results)
    assert reason.startswith("a: the request budget ran out; 1 of 100 checks were not run")
