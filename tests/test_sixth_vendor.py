"""A vendor from data alone: each folder of ``tests/vendors/`` is a made-up API (its
document, the data files the built-in vendors have, one ``emulator.py``). On
``$HARNESS_VENDOR_PATH`` it runs clean through ``harness run``, ``harness selftest`` catches
every fault of its emulator on the fault's clause, a misspelled key of its profile fails
loading in one line, and the vendor lists show it only when it is on the path; no line of
the harness names it. Every expectation is read from the vendor's own files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness._resources import VENDOR_PATH_ENV, harness_schema_dir, vendor_names
from harness.emulators import vendor_module
from harness.emulators._faults import Fault
from harness.validation import SchemaStore

ROOT = Path(__file__).resolve().parent / "vendors"
VENDORS = sorted(p.parent.name for p in ROOT.glob("*/profile.toml"))


def harness(cwd: Path, *args: str, path: Path | None = ROOT) -> subprocess.CompletedProcess[str]:
    """``harness ARGS`` in a fresh process (schemas load once per process), with
    ``$HARNESS_VENDOR_PATH`` set to ``path`` (None: unset)."""
    env = {k: v for k, v in os.environ.items() if k != VENDOR_PATH_ENV}
    if path is not None:
        env[VENDOR_PATH_ENV] = str(path)
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def links(vendor: str) -> dict[str, set[str]]:
    """Clause id -> the checks its links name (aspects dropped), from links/*.toml."""
    found: dict[str, set[str]] = {}
    for file in sorted((ROOT / vendor / "links").glob("*.toml")):
        table = tomllib.loads(file.read_text(encoding="utf-8"))["checks"]
        for clause, checks in table.items():
            found.setdefault(clause, set()).update(c.split(":")[0] for c in checks)
    return found


@pytest.fixture(scope="module", params=VENDORS)
def vendor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def faults(vendor: str) -> Iterator[tuple[Fault, ...]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(VENDOR_PATH_ENV, str(ROOT))
        yield vendor_module(vendor).FAULTS


@pytest.fixture(scope="module")
def results(vendor: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp(f"run-{vendor}")
    done = harness(folder, "run", vendor, "-q", "--results", str(folder / "results.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    data: dict[str, Any] = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def selftest(vendor: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    done = harness(tmp_path_factory.mktemp(f"selftest-{vendor}"), "selftest", vendor, "-j", "2")
    return done.returncode, done.stdout


def test_there_is_a_made_up_vendor_to_prove(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VENDOR_PATH_ENV, raising=False)
    assert VENDORS
    assert not set(VENDORS) & set(vendor_names())  # none of them is built in


# ---------------------------------------------------------------- harness run


def test_the_run_against_its_emulator_has_no_finding(results: dict[str, Any]) -> None:
    assert results["exit_code"] == 0
    assert [r for r in results["results"] if r["findings"]] == []
    assert [r for r in results["results"] if r["outcome"] != "passed"] == []


def test_a_check_passed_on_every_clause_its_links_name(
    vendor: str, results: dict[str, Any]
) -> None:
    passed: dict[str, set[str]] = {}
    for result in results["results"]:
        if result["vendor"] == vendor and result["outcome"] == "passed":
            for clause in result["clauses"]:
                passed.setdefault(clause, set()).add(result["check"])
    assert {clause: passed.get(clause, set()) for clause in links(vendor)} == links(vendor)


# ---------------------------------------------------------------- harness selftest


def test_its_emulator_breaks_six_clauses_some_only_on_some_responses(
    faults: tuple[Fault, ...],
) -> None:
    assert len({f.clause for f in faults}) >= 6
    assert any(f.subtle for f in faults)


def test_the_selftest_passes(selftest: tuple[int, str]) -> None:
    code, out = selftest
    assert code == 0, out
    assert not re.search(r"^(missed|wrong clause|collateral):", out, re.MULTILINE), out


def test_the_selftest_catches_every_fault_on_its_clause(
    vendor: str, faults: tuple[Fault, ...], selftest: tuple[int, str]
) -> None:
    lines = re.findall(rf"(?m)^\[\d+/\d+\] {vendor} (\S+): found (.*) \(", selftest[1])
    caught_on = {name: set(clauses.split(", ")) for name, clauses in lines}
    missed = {f.name: f.clause for f in faults if f.clause not in caught_on.get(f.name, set())}
    assert missed == {}, selftest[1]


def test_the_clean_emulator_stays_silent_in_the_selftest(
    vendor: str, selftest: tuple[int, str]
) -> None:
    assert re.search(
        rf"^\[\d+/\d+\] {vendor} clean: \d+ checks, 0 findings, 0 errors", selftest[1], re.MULTILINE
    )


# ---------------------------------------------------------------- loading


def test_its_documented_examples_validate_and_their_mutations_do_not(vendor: str) -> None:
    store = SchemaStore([ROOT, harness_schema_dir()])
    examples = json.loads((ROOT / vendor / "examples.json").read_text(encoding="utf-8"))
    for example in examples["examples"]:
        schema = f"https://harness.local/schemas/{vendor}/{example['schema']}"
        assert store.validate(schema, example["instance"]) == [], example["name"]
        for mutation in example.get("mutations", []):
            changed = _mutated(example["instance"], mutation)
            pointers = {v.pointer for v in store.validate(schema, changed)}
            assert mutation["expect_pointer"] in pointers, (example["name"], mutation["name"])


def _mutated(instance: Any, mutation: dict[str, Any]) -> Any:
    changed = json.loads(json.dumps(instance))
    *parents, last = mutation["path"].split("/")[1:]
    node = changed
    for part in parents:
        node = node[part]
    if mutation["op"] == "remove":
        del node[last]
    else:
        node[last] = mutation["value"]
    return changed


def test_a_misspelled_feature_key_fails_loading_in_one_line(vendor: str, tmp_path: Path) -> None:
    copy = shutil.copytree(ROOT / vendor, tmp_path / "vendors" / vendor)
    profile = copy / "profile.toml"
    text = profile.read_text(encoding="utf-8")
    table = re.search(r"(?m)^\[features\.([a-z_]+)\]\n(?:#.*\n)*([a-z_]+) = ", text)
    assert table, "the profile has a [features.*] table to misspell a key of"
    name, key = table.group(1), table.group(2)
    typo = key[0] + key[2:]  # one letter dropped
    start = table.start(2)
    profile.write_text(text[:start] + typo + text[start + len(key) :], encoding="utf-8")
    done = harness(tmp_path, "run", vendor, "--results", str(tmp_path / "r.json"), path=copy.parent)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert str(profile) in done.stderr
    assert f"features.{name}.{typo}" in done.stderr


# ---------------------------------------------------------------- vendor lists


def test_the_vendor_lists_show_it_only_on_the_path(
    vendor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(VENDOR_PATH_ENV, raising=False)
    assert vendor not in vendor_names()
    monkeypatch.setenv(VENDOR_PATH_ENV, str(ROOT))
    assert vendor in vendor_names()
    on, off = (harness(tmp_path, "vendors", path=p) for p in (ROOT, None))
    assert (on.returncode, off.returncode) == (0, 0), on.stderr + off.stderr
    assert re.search(rf"(?m)^{vendor}\s", on.stdout)
    assert not re.search(rf"(?m)^{vendor}\s", off.stdout)


def test_the_clause_catalog_holds_its_clauses_only_on_the_path(vendor: str, tmp_path: Path) -> None:
    on, off = (harness(tmp_path, "clauses", "--format", "json", path=p) for p in (ROOT, None))
    assert (on.returncode, off.returncode) == (0, 0), on.stderr + off.stderr
    ids = tomllib.loads((ROOT / vendor / "clauses.toml").read_text(encoding="utf-8"))["clause"]
    assert {c["id"] for c in json.loads(on.stdout) if c["vendor"] == vendor} == {
        c["id"] for c in ids
    }
    assert [c for c in json.loads(off.stdout) if c["vendor"] == vendor] == []
