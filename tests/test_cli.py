"""The CLI lists vendors and clauses; bad input exits 2 with a one-line error."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from harness.checks import CONCERNS
from harness.cli import main
from harness.emulators import run_emulator
from harness.engine import plan_target
from harness.runner import emulated_targets


def test_vendors_lists_all_five(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vendors"]) == 0
    out = capsys.readouterr().out
    for vendor in ("turitop", "turris", "trackops", "toptickets", "itrp"):
        assert f"\n{vendor} " in out


def test_clauses_as_json_has_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--format", "json"]) == 0
    clauses = json.loads(capsys.readouterr().out)
    assert len(clauses) >= 40
    for clause in clauses:
        assert {"id", "vendor", "summary", "section", "severity"} <= clause.keys()
    per_vendor: dict[str, int] = {}
    for clause in clauses:
        per_vendor[clause["vendor"]] = per_vendor.get(clause["vendor"], 0) + 1
    assert len(per_vendor) == 5 and min(per_vendor.values()) >= 6


def test_the_required_ambiguities_are_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    main(["clauses", "--format", "json"])
    clauses = json.loads(capsys.readouterr().out)
    ambiguous = {c["vendor"] for c in clauses if "ambiguity" in c}
    assert {"turris", "itrp", "turitop"} <= ambiguous


def test_clauses_for_an_unknown_vendor_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "acme"]) == 2
    assert "unknown vendor 'acme'" in capsys.readouterr().err


def test_checks_are_listed_under_labelled_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == ["check", "concern", "needs", "health", "clauses"]
    assert len(rows) > 50
    assert all(len(row.split()) >= 5 for row in rows), [r for r in rows if len(r.split()) < 5]


def test_earlier_check_ids_are_listed_with_the_check_they_now_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from harness.checks import CHECKS

    assert main(["checks", "--aliases"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == ["earlier", "id", "check"]
    pairs = dict(row.split() for row in rows)
    assert pairs["rules_a.json-suffix"] == "representation.json-suffix"
    assert set(pairs.values()) <= set(CHECKS)


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    """`harness clauses | head -1`: no BrokenPipeError traceback."""
    done = subprocess.run(
        f"{shlex.quote(sys.executable)} -m harness.cli clauses | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.startswith("id ") and "Traceback" not in done.stderr, done.stderr


def test_vendors_with_target_files_keep_only_those_vendors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with run_emulator("itrp") as itrp, run_emulator("turris") as turris:
        files = [itrp.write_target(tmp_path / "a.toml"), turris.write_target(tmp_path / "b.toml")]
        results = tmp_path / "results.json"
        argv = ["run", "itrp", "--suite", "transport", "--results", str(results), "-q"]
        code = main([*argv, "--target-file", str(files[0]), "--target-file", str(files[1])])
    assert code == 0, capsys.readouterr().out
    data = json.loads(results.read_text(encoding="utf-8"))
    assert {t["vendor"] for t in data["targets"]} == {"itrp"}


def test_a_suite_runs_exactly_the_checks_of_its_concern(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    argv = ["run", "turitop", "--suite", "fuzz", "--max-examples", "2", "-q"]
    assert main([*argv, "--results", str(results)]) in (0, 1)
    ran = json.loads(results.read_text(encoding="utf-8"))["results"]
    with emulated_targets(("turitop",)) as (target,):
        planned = {c.key for c in plan_target(target).checks if c.spec.concern == "fuzz"}
    assert {(r["check"], r["operation"]) for r in ran} == planned != set()
    assert {r["concern"] for r in ran} == {"fuzz"}


def test_a_suite_that_selects_no_check_is_a_one_line_error_naming_the_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results.json"
    assert main(["run", "turris", "--suite", "pagination", "--results", str(results)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "suite pagination selects no check of turris" in err
    assert "suites with checks there: auth, envelope, errors, fuzz," in err
    assert not results.exists()


def test_an_unknown_suite_is_refused_naming_every_suite(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "itrp", "--suite", "jsonp"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "'jsonp': no such suite" in err
    assert ", ".join(CONCERNS) in err
