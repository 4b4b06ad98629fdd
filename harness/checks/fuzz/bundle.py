"""One self-contained JSON Schema from a vendor schema and everything it refers to.

The vendor schemas refer to each other by relative ``$ref`` (``defs.schema.json#/$defs/x``)
resolved against their absolute ``$id``; hypothesis-jsonschema resolves only local
references. :func:`bundle` copies every schema reached through a reference into the root
``$defs`` (one entry per target document and pointer) and rewrites each ``$ref`` to
``#/$defs/<name>``, so the result needs no registry. :func:`strategy` turns a bundled
schema into a hypothesis strategy that knows the formats the vendors use.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import urljoin

from hypothesis import strategies as st

from harness.auth import resolve_pointer
from harness.validation import SchemaStore

__all__ = ["FORMATS", "bundle", "strategy"]

# Formats hypothesis-jsonschema does not know by itself (it knows date-time, email, uri...).
FORMATS: dict[str, st.SearchStrategy[str]] = {
    "uuid": st.uuids().map(str),
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_DROPPED = ("$id", "$schema", "$defs", "definitions", "$comment")


def _name(target: str, taken: dict[str, str]) -> str:
    """A readable, unique ``$defs`` name for a reference target."""
    document, _, fragment = target.partition("#")
    stem = document.rsplit("/", 1)[-1].removesuffix(".schema.json")
    base = _UNSAFE.sub("_", f"{stem}{fragment.replace('/$defs/', '.').replace('/', '.')}")
    name = base.strip("_.") or "root"
    counter = 1
    while name in taken.values():
        counter += 1
        name = f"{base}_{counter}"
    return name


class _Bundler:
    def __init__(self, store: SchemaStore) -> None:
        self.store = store
        self.names: dict[str, str] = {}  # absolute target -> $defs name
        self.defs: dict[str, Any] = {}

    def target(self, ref: str, base: str) -> tuple[str, Any]:
        absolute = urljoin(base, ref)
        document, _, fragment = absolute.partition("#")
        root = self.store.schema(document or base)
        node = resolve_pointer(root, fragment) if fragment else root
        if node is None:
            raise KeyError(f"$ref {ref!r} (from {base}) points at nothing")
        return f"{document}#{fragment}", node

    def ref(self, ref: str, base: str) -> str:
        key, node = self.target(ref, base)
        if key not in self.names:
            name = _name(key, self.names)
            self.names[key] = name
            self.defs[name] = {}  # reserved first: a recursive reference finds the name
            self.defs[name] = self.copy(node, key.partition("#")[0])
        return f"#/$defs/{self.names[key]}"

    def copy(self, node: Any, base: str) -> Any:
        if isinstance(node, list):
            return [self.copy(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED:
                continue
            if key == "$ref" and isinstance(value, str):
                out[key] = self.ref(value, base)
            elif key in ("properties", "patternProperties", "dependentSchemas"):
                out[key] = {k: self.copy(v, base) for k, v in value.items()}
            elif key in ("enum", "const", "examples", "default", "required"):
                out[key] = copy.deepcopy(value)
            else:
                out[key] = self.copy(value, base)
        return out


def bundle(store: SchemaStore, schema_id: str) -> dict[str, Any]:
    """The schema ``schema_id`` with every reference (cross-file or local) inlined under
    its own ``$defs``; no ``$id`` remains, so nothing is resolved remotely."""
    sid = store.resolve(schema_id)
    bundler = _Bundler(store)
    root: dict[str, Any] = bundler.copy(store.schema(sid), sid)
    if bundler.defs:
        root["$defs"] = bundler.defs
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return root


def strategy(store: SchemaStore, schema_id: str) -> st.SearchStrategy[Any]:
    """Values valid for ``schema_id`` (a bundled copy, fed to hypothesis-jsonschema)."""
    from hypothesis_jsonschema import from_schema

    return from_schema(bundle(store, schema_id), custom_formats=FORMATS)
