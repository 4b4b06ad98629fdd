"""The schema documents of each reading of an ambiguous clause, generated from one source.

Where a clause of the catalog is ambiguous, each reading has its own schema document,
``<name>.<reading>.schema.json`` (strict mode uses the catalog's strict reading), beside
the lenient ``<name>.schema.json`` that accepts every reading. Those documents are not
written out: ``schemas/<vendor>/readings.toml`` names, per ambiguous clause (a *family*),
the documents and how each reading is derived, and the schema store builds them in memory
when it loads, with the ``$id`` a file of that name would have. Three derivations::

    refs      <name>.<reading> is the file <name>.schema.json with every $ref to another
              document that has a variant for the reading (written or generated) pointing
              at that variant: timestamp.schema.json -> timestamp.z-suffix.schema.json
    patch     <name>.<reading> is the file <name>.schema.json with the keys of
              [family.patch.<reading>] replaced
    template  <name>.schema.json and <name>.<reading> are built from templates: each
              document has a payload schema and a shape; the shape names the template of the
              lenient document and of each reading; in a template "$payload" is the payload,
              "$reading:<r>" the template of reading r for the same shape, and a table with a
              "$part" key is that part's keys followed by the table's own

The format is documented in ``schemas/README.md`` and checked against
``harness/_data_schemas/readings.schema.json``.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness._tomlfile import check_against, read_data
from harness.errors import SchemaError

__all__ = ["READINGS_FILE", "Generated", "generate", "generated_names"]

READINGS_FILE = "readings.toml"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
_MAX_DEPTH = 32  # of nested "$reading"/"$part" expansions: deeper is a cycle


@dataclass(frozen=True)
class Generated:
    """One generated document: its file name, the schema, and what it is made from."""

    file_name: str
    schema: dict[str, Any]
    sources: tuple[Path, ...]  # the readings file, then the schema file it derives from


@dataclass(frozen=True)
class _Planned:
    file_name: str
    family: int  # index into the file's [[family]] array
    document: str  # the base name (refs, patch) or the template document's name
    reading: str | None  # None: the lenient document of a template family


def _load(path: Path) -> list[dict[str, Any]]:
    data = read_data(path, SchemaError)
    check_against(data, "readings", path, SchemaError)
    families: list[dict[str, Any]] = data["family"]
    return families


def _plan(families: list[dict[str, Any]]) -> Iterator[_Planned]:
    for index, family in enumerate(families):
        readings = family["readings"]
        if family["derive"] == "template":
            for doc in family["document"]:
                name = doc["name"]
                if "lenient" in family["shapes"].get(doc["shape"], {}):
                    yield _Planned(f"{name}.schema.json", index, name, None)
                for reading in readings:
                    yield _Planned(f"{name}.{reading}.schema.json", index, name, reading)
        else:
            for name in family["documents"]:
                for reading in readings:
                    yield _Planned(f"{name}.{reading}.schema.json", index, name, reading)


def generated_names(folder: Path) -> tuple[str, ...]:
    """The file names of the documents the folder's readings file generates (none without)."""
    path = folder / READINGS_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ()
    return _names(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _names(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    return tuple(p.file_name for p in _plan(_load(path)))


def generate(
    path: Path, id_prefix: str, files: Mapping[str, tuple[dict[str, Any], Path]]
) -> list[Generated]:
    """The documents a readings file describes.

    ``id_prefix`` is the ``$id`` of the folder (``https://harness.local/schemas/turris/``);
    ``files`` maps the folder's schema file names to their parsed schema and path.
    """
    families = _load(path)
    plan = list(_plan(families))
    available = set(files) | {p.file_name for p in plan}
    out: list[Generated] = []
    for item in plan:
        family = families[item.family]
        where = f"family[{item.family}]"
        if item.file_name in files:
            raise SchemaError(
                path,
                where,
                f"generates {item.file_name}, which is also a file",
                "delete the file or the entry that generates it",
            )
        if family["derive"] == "template":
            schema = _from_template(path, where, family, item)
            sources: tuple[Path, ...] = (path,)
        else:
            base_name = f"{item.document}.schema.json"
            if base_name not in files:
                raise SchemaError(
                    path,
                    f"{where}.documents",
                    f"names {item.document!r}, but there is no {base_name}",
                    "write the base document or fix the name",
                )
            base, base_path = files[base_name]
            assert item.reading is not None
            if family["derive"] == "refs":
                schema = _rewrite_refs(copy.deepcopy(base), item.reading, available)
                schema["title"] = f"{base.get('title', item.document)} " + (
                    f"(reading '{item.reading}' of {family['clause']})"
                )
            else:
                patch = family.get("patch", {}).get(item.reading)
                if patch is None:
                    raise SchemaError(
                        path,
                        f"{where}.patch",
                        f"has no entry for reading {item.reading!r}",
                        f"add [family.patch.{item.reading}] (empty: the base as it is)",
                    )
                schema = {**copy.deepcopy(base), **copy.deepcopy(patch)}
            sources = (path, base_path)
        schema["$id"] = id_prefix + item.file_name
        out.append(Generated(item.file_name, schema, sources))
    return out


def _rewrite_refs(node: Any, reading: str, available: set[str]) -> Any:
    if isinstance(node, list):
        return [_rewrite_refs(item, reading, available) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _rewrite_refs(v, reading, available) for k, v in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.endswith(".schema.json"):
        variant = f"{ref.removesuffix('.schema.json')}.{reading}.schema.json"
        if variant in available:
            out["$ref"] = variant
    return out


def _from_template(
    path: Path, where: str, family: dict[str, Any], item: _Planned
) -> dict[str, Any]:
    doc = next(d for d in family["document"] if d["name"] == item.document)
    shape = family["shapes"].get(doc["shape"])
    if shape is None:
        raise SchemaError(
            path,
            f"{where}.document",
            f"{doc['name']} has shape {doc['shape']!r}, which [family.shapes] does not define",
            f"known: {', '.join(family['shapes'])}",
        )
    key = item.reading or "lenient"
    expander = _Expander(path, where, family, shape, doc["payload"])
    body = expander.expand(expander.template(key), 0)
    if not isinstance(body, dict):
        raise SchemaError(path, f"{where}.templates", f"{key!r} does not build a JSON object")
    head: dict[str, Any] = {"$schema": DRAFT, "$id": "", "title": f"{doc['title']} ({key})"}
    if "description" in body:
        head["description"] = body.pop("description")
    return {**head, **body}


class _Expander:
    """Fills one document's templates: "$payload", "$reading:<r>" and "$part" tables."""

    def __init__(
        self,
        path: Path,
        where: str,
        family: dict[str, Any],
        shape: dict[str, str],
        payload: Any,
    ) -> None:
        self.path, self.where, self.family = path, where, family
        self.shape, self.payload = shape, payload

    def _problem(self, key: str, problem: str, fix: str) -> SchemaError:
        return SchemaError(self.path, f"{self.where}.{key}", problem, fix)

    def template(self, reading: str) -> Any:
        name = self.shape.get(reading)
        if name is None:
            raise self._problem(
                "shapes",
                f"a shape has no template for {reading!r}",
                f'add {reading} = "<template>" to every shape',
            )
        if name not in self.family.get("templates", {}):
            raise self._problem(
                "templates", f"has no template {name!r}", f"add [family.templates.{name}]"
            )
        return self.family["templates"][name]

    def expand(self, node: Any, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise self._problem(
                "templates", "expands without end", "a $reading or $part refers back to itself"
            )
        if isinstance(node, str):
            if node == "$payload":
                return copy.deepcopy(self.payload)
            if node.startswith("$reading:"):
                return self.expand(self.template(node.removeprefix("$reading:")), depth + 1)
            return node
        if isinstance(node, list):
            return [self.expand(item, depth) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        if "$part" in node:
            part = self.family.get("parts", {}).get(node["$part"])
            if not isinstance(part, dict):
                raise self._problem(
                    "parts", f"has no part {node['$part']!r}", f"add [family.parts.{node['$part']}]"
                )
            out.update(self.expand(part, depth + 1))
        for key, value in node.items():
            if key != "$part":
                out[key] = self.expand(value, depth)
        return out
