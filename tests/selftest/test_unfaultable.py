"""Written reasons for checked clauses no fault can be built for: the catalog's
``unfaultable`` key, its load errors, and ``harness faults --uncovered`` with the coverage
per vendor (on a copy of a built-in vendor's data, so the real loaders run)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest
import tomli_w

from harness.catalog import load_clauses
from harness.cli import main
from harness.errors import ProfileError
from harness.selftest import load_plan
from tests.selftest._vendors import add_to_clause, cheap_vendor, clone_vendor

ORIGINAL = cheap_vendor()
REASON = "needs a second account of the same company to tell the two apart"
# The copy leaves out the faults of two clauses of the original: two gaps, whatever the
# original's own coverage.
GAPS = tuple(dict.fromkeys(f.clause for f in load_plan([ORIGINAL])[ORIGINAL].faults))[:2]


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A fresh copy of ``ORIGINAL`` without the faults of ``GAPS`` (a new name each time:
    the loaders cache by name)."""
    name = f"copy{uuid.uuid4().hex[:8]}"
    emulator = (
        f"from harness.emulators.{ORIGINAL} import FAULTS as ALL, create_app, credentials\n"
        f"FAULTS = tuple(f for f in ALL if f.clause not in {GAPS!r})\n"
    )
    folder = clone_vendor(tmp_path, ORIGINAL, name, emulator)
    monkeypatch.setenv("HARNESS_VENDOR_PATH", str(tmp_path))
    return name, folder


def some_uncovered(vendor: str) -> str:
    """A checked clause of the copy with neither a fault nor a reason."""
    return GAPS[0]


def test_a_reason_loads_with_the_clause_and_is_part_of_its_data(copy: tuple[str, Path]) -> None:
    name, folder = copy
    target = some_uncovered(name)
    add_to_clause(folder, target, f'unfaultable = "{REASON}"')
    (found,) = [c for c in load_clauses(name) if c.id == target]
    assert found.unfaultable == REASON
    assert found.as_dict()["unfaultable"] == REASON


def test_faults_uncovered_lists_reasons_and_gaps_with_coverage_per_vendor(
    copy: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    name, folder = copy
    target = some_uncovered(name)
    add_to_clause(folder, target, f'unfaultable = "{REASON}"')
    plan = load_plan([ORIGINAL])[ORIGINAL]
    faults = [f for f in plan.faults if f.clause not in GAPS]
    assert main(["faults", name, "--uncovered"]) == 0
    out = capsys.readouterr().out
    assert (
        f"{name}: {len(faults)} faults on {len(plan.faulted) - len(GAPS)}/{len(plan.checked)} "
        f"checked clauses; {len(plan.unfaultable) + 1} unfaultable (written reason); "
        f"{len(plan.uncovered) + len(GAPS) - 1} uncovered"
    ) in out
    assert f"  unfaultable  {target:<28} {REASON}" in out
    others = [*(c.id for c in plan.uncovered), *GAPS[1:]]
    checks = {c.id: c.checks for c in plan.clauses}
    for gap in others:
        assert f"  uncovered    {gap:<28} checks: {', '.join(checks[gap])}" in out
    assert f"  uncovered    {target} " not in out


def test_a_reason_on_a_faulted_clause_stops_faults_and_selftest(
    copy: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    name, folder = copy
    faulted = next(f for f in load_plan([ORIGINAL])[ORIGINAL].faults if f.clause not in GAPS)
    add_to_clause(folder, faulted.clause, f'unfaultable = "{REASON}"')
    for command in (["faults", name], ["selftest", name]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert f"key '{faulted.clause}.unfaultable'" in err
        assert f"but fault {faulted.name} breaks it" in err


def test_a_reason_on_an_unchecked_clause_is_refused(copy: tuple[str, Path]) -> None:
    name, folder = copy
    target = some_uncovered(name)
    add_to_clause(folder, target, f'unfaultable = "{REASON}"\nunchecked = "not checked at all"')
    with pytest.raises(ProfileError, match=r"unfaultable': .* is unchecked, so no fault could"):
        load_clauses(name)


def test_a_reason_on_a_clause_without_a_linked_check_is_refused(copy: tuple[str, Path]) -> None:
    name, folder = copy
    target = some_uncovered(name)
    add_to_clause(folder, target, f'unfaultable = "{REASON}"')
    for links in (folder / "links").glob("*.toml"):  # unlink every check of the clause
        data = tomllib.loads(links.read_text(encoding="utf-8"))
        data.get("checks", {}).pop(target, None)
        links.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(ProfileError, match=f"{target} has no check linked in links"):
        load_clauses(name)


def test_a_reason_too_short_to_say_anything_fails_the_schema(copy: tuple[str, Path]) -> None:
    name, folder = copy
    add_to_clause(folder, some_uncovered(name), 'unfaultable = "hard"')
    with pytest.raises(ProfileError, match="unfaultable"):
        load_clauses(name)


def test_require_coverage_fails_on_a_clause_with_neither_a_fault_nor_a_reason(
    copy: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    name, _ = copy
    kept = next(f for f in load_plan([ORIGINAL])[ORIGINAL].faults if f.clause not in GAPS)
    # a fresh process: the copy's data and emulator load there from the start
    argv = ["selftest", name, "--fault", kept.name, "--jobs", "1", "--require-coverage"]
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", *argv],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=600,
        check=False,
    )
    code, out = done.returncode, done.stdout
    assert f"{name} {kept.name}: found" in out
    assert f"uncovered: {name}: " in out and GAPS[0] in out  # the gaps, named
    assert code == 1
