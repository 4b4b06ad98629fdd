"""The CLI lists vendors and clauses; bad input exits 2 with a one-line error."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import main
from harness.emulators import run_emulator


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
