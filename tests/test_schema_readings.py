"""The documents of each reading are generated from schemas/<vendor>/readings.toml.

They replace hand-written files (deleted after commit BASELINE). The baseline tests prove
that the readings files, applied to the schema files as they were then, rebuild every
deleted file: equal as JSON once key order, ``title``/``description`` text and the vacuous
``items: {}`` are normalised away, and giving the same verdicts and violations on every
documented example and mutation of the vendor. They read the deleted files from git (or
from a copy named by ``HARNESS_READINGS_BASELINE``: a folder of ``<vendor>/`` folders)
and are skipped where neither is available.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from harness._resources import vendor_names, vendor_root
from harness.catalog import load_clauses
from harness.errors import SchemaError
from harness.profiles import load_profile
from harness.schema_readings import READINGS_FILE, generated_names
from harness.validation import ID_BASE, SchemaStore
from tests.test_examples import EXAMPLES, MUTATIONS, _apply

BASELINE = "e8562897af6212df4c4eb488ac4920a27be334fe"  # the last commit with the files
REPO = Path(__file__).resolve().parents[1]
WITH_READINGS = [v for v in vendor_names() if (vendor_root() / v / READINGS_FILE).is_file()]
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})


def normalised(node: Any, names: bool = False) -> Any:
    """Key order, title/description text and ``items: {}`` (the default) dropped."""
    if isinstance(node, list):
        return [normalised(item) for item in node]
    if not isinstance(node, dict):
        return node
    if names:  # a map of names to schemas: the names are data, not keywords
        return {k: normalised(v) for k, v in sorted(node.items())}
    return {
        k: normalised(v, names=k in SCHEMA_MAPS)
        for k, v in sorted(node.items())
        if k not in ("title", "description") and not (k == "items" and v == {})
    }


# ------------------------------------------------------------------ the readings files


def _documents(family: dict[str, Any]) -> list[str]:
    """The document names of a family: ``documents = [...]`` or ``[[family.document]]``."""
    return [d if isinstance(d, str) else d["name"] for d in family.get("documents", [])] + [
        d["name"] for d in family.get("document", [])
    ]


def _expected_names(folder: Path) -> set[str]:
    """<name>.<reading>.schema.json per document and reading of each family, and the lenient
    <name>.schema.json of a template family."""
    names: set[str] = set()
    for family in tomllib.loads((folder / READINGS_FILE).read_text("utf-8"))["family"]:
        for doc in _documents(family):
            names |= {f"{doc}.{r}.schema.json" for r in family["readings"]}
            if family["derive"] == "template":
                names.add(f"{doc}.schema.json")
    return names


def test_turris_and_trackops_generate_their_reading_documents() -> None:
    assert {"turris", "trackops"} <= set(WITH_READINGS)
    for vendor in ("turris", "trackops"):
        folder = vendor_root() / vendor
        expected = _expected_names(folder)
        assert expected and set(generated_names(folder)) == expected, vendor


@pytest.mark.parametrize("vendor", WITH_READINGS)
def test_each_family_has_the_readings_of_an_ambiguous_clause(vendor: str) -> None:
    data = tomllib.loads((vendor_root() / vendor / READINGS_FILE).read_text("utf-8"))
    clauses = {c.id: c for c in load_clauses(vendor)}
    for family in data["family"]:
        clause = clauses[family["clause"]]
        assert clause.ambiguity is not None, f"{clause.id} is not ambiguous"
        assert set(family["readings"]) == set(clause.ambiguity.readings), clause.id


@pytest.mark.parametrize("vendor", WITH_READINGS)
def test_generated_documents_have_the_ids_of_their_file_names_and_no_file(
    store: SchemaStore, vendor: str
) -> None:
    folder = vendor_root() / vendor
    for name in generated_names(folder):
        assert not (folder / name).exists(), f"{name} is generated and also a file"
        sid = store.resolve(name, vendor)
        assert sid == f"{ID_BASE}{vendor}/{name}" == store.schema(sid)["$id"]
        assert store.is_generated(sid) and store.file(sid) == folder / READINGS_FILE
        assert store.schema(sid)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        store.validate(sid, None)  # every $ref resolves
        assert load_profile(vendor).has_schema(name)


@pytest.mark.parametrize("vendor", WITH_READINGS)
def test_digests_cover_the_generated_documents_with_the_readings_file(
    store: SchemaStore, vendor: str
) -> None:
    readings = (vendor_root() / vendor / READINGS_FILE).read_bytes()
    for name in generated_names(vendor_root() / vendor):
        digest = store.digests[f"{vendor}/{name}"]
        base = vendor_root() / vendor / f"{name.split('.')[0]}.schema.json"
        candidates = [readings] + ([readings + base.read_bytes()] if base.is_file() else [])
        assert digest in {hashlib.sha256(c).hexdigest() for c in candidates}, name


def test_a_readings_file_that_generates_an_existing_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "trackops"
    shutil.copytree(vendor_root() / "trackops", folder)
    twin = json.loads((folder / "client.schema.json").read_text("utf-8"))
    twin["$id"] = twin["$id"].replace("client.schema.json", "client.z-suffix.schema.json")
    (folder / "client.z-suffix.schema.json").write_text(json.dumps(twin), "utf-8")
    with pytest.raises(SchemaError, match=r"client\.z-suffix\.schema\.json, which is also a file"):
        SchemaStore([tmp_path])


def test_a_readings_file_naming_a_missing_base_document_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "trackops"
    shutil.copytree(vendor_root() / "trackops", folder)
    (folder / "case.schema.json").unlink()
    with pytest.raises(SchemaError, match=r"there is no case\.schema\.json"):
        SchemaStore([tmp_path])


def test_a_readings_file_of_the_wrong_form_names_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "turris"
    shutil.copytree(vendor_root() / "turris", folder)
    text = (folder / READINGS_FILE).read_text("utf-8").replace('derive = "patch"', 'derive = "x"')
    (folder / READINGS_FILE).write_text(text, "utf-8")
    with pytest.raises(SchemaError, match=r"family\[0\]\.derive"):
        SchemaStore([tmp_path])


# ------------------------------------------------------------------ against the deleted files


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True
    ).stdout


def _baseline_files(vendor: str) -> dict[str, bytes]:
    """Every schema file of the vendor as it was before the variants were generated."""
    copied = os.environ.get("HARNESS_READINGS_BASELINE")
    if copied:
        folder = Path(copied) / vendor
        return {p.name: p.read_bytes() for p in sorted(folder.glob("*.schema.json"))}
    try:
        names = _git("ls-tree", "--name-only", BASELINE, f"schemas/{vendor}/").split()
        return {
            Path(n).name: _git("show", f"{BASELINE}:{n}").encode("utf-8")
            for n in names
            if n.endswith(".schema.json")
        }
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"the deleted files are not available (no git history of {BASELINE[:8]})")


def _baseline_readings(folder: Path, files: dict[str, bytes]) -> str:
    """The readings file without the documents added after the baseline (no deleted file
    to compare them with): families keep only documents whose every file was deleted."""
    data = tomllib.loads((folder / READINGS_FILE).read_text("utf-8"))
    kept = []
    for family in data["family"]:
        old = {
            d
            for d in _documents(family)
            if all(f"{d}.{r}.schema.json" in files for r in family["readings"])
        }
        for key in ("documents", "document"):
            if key in family:
                family[key] = [
                    d for d in family[key] if (d if isinstance(d, str) else d["name"]) in old
                ]
        if old:
            kept.append(family)
    return tomli_w.dumps({**data, "family": kept})


@pytest.fixture(scope="module", params=WITH_READINGS)
def stores(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, SchemaStore, SchemaStore, tuple[str, ...]]]:
    """(vendor, the store of the deleted files, the store generated from the same bases,
    the names generated: the documents of the readings file that existed at the baseline)."""
    vendor: str = request.param
    files = _baseline_files(vendor)
    before = tmp_path_factory.mktemp("before") / vendor
    after = tmp_path_factory.mktemp("after") / vendor
    before.mkdir()
    after.mkdir()
    (after / READINGS_FILE).write_text(_baseline_readings(vendor_root() / vendor, files), "utf-8")
    generated = generated_names(after)
    assert generated, f"{vendor}: no document of the readings file existed at the baseline"
    assert set(generated) <= set(files), f"not in the baseline: {set(generated) - set(files)}"
    for name, data in files.items():
        (before / name).write_bytes(data)
        if name not in generated:
            (after / name).write_bytes(data)
    yield vendor, SchemaStore([before.parent]), SchemaStore([after.parent]), generated


def test_every_generated_document_equals_the_deleted_file(
    stores: tuple[str, SchemaStore, SchemaStore, tuple[str, ...]],
) -> None:
    vendor, before, after, generated = stores
    for name in generated:
        sid = f"{ID_BASE}{vendor}/{name}"
        assert after.is_generated(sid) and not before.is_generated(sid)
        old, new = normalised(before.schema(sid)), normalised(after.schema(sid))
        assert new == old, f"{name}:\n{json.dumps(new, indent=1)}\n!=\n{json.dumps(old, indent=1)}"


def _instances(vendor: str) -> list[Any]:
    found = [copy.deepcopy(ex["instance"]) for v, ex in EXAMPLES if v == vendor]
    found += [
        _apply(ex["instance"], m["op"], m["path"], m.get("value"))
        for v, ex, m in MUTATIONS
        if v == vendor
    ]
    return found


def test_every_generated_document_validates_like_the_deleted_file(
    stores: tuple[str, SchemaStore, SchemaStore, tuple[str, ...]],
) -> None:
    vendor, before, after, generated = stores
    instances = _instances(vendor)
    assert len(instances) >= 20
    accepted = 0
    for name in generated:
        sid = f"{ID_BASE}{vendor}/{name}"
        for instance in instances:
            old = [v.as_dict() for v in before.validate(sid, instance)]
            new = [v.as_dict() for v in after.validate(sid, instance)]
            assert new == old, f"{name} on {json.dumps(instance)[:200]}"
            accepted += not new
    assert accepted > 0  # some documented examples are valid under some reading
