"""The CLI lists vendors and clauses; bad input exits 2 with a one-line error."""

from __future__ import annotations

import json

import pytest

from harness.cli import main


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
