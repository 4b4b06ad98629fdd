"""JSON Schema loading and validation, with errors as data.

Every vendor schema lives under ``schemas/<vendor>/*.schema.json`` and carries an
absolute ``$id``; the documents of each reading of an ambiguous clause are generated from
``schemas/<vendor>/readings.toml`` (:mod:`harness.schema_readings`) with the ``$id`` a file
of that name would have. All are loaded once into one registry so that ``$ref`` works by
``$id`` or by a path relative to it. Validation always checks formats.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from harness._resources import harness_schema_dir, vendor_roots
from harness.errors import SchemaError
from harness.schema_readings import READINGS_FILE, generate

__all__ = ["SchemaStore", "Violation", "default_store", "json_pointer"]

_VALIDATOR = jsonschema.Draft202012Validator
FORMAT_CHECKER = _VALIDATOR.FORMAT_CHECKER
ID_BASE = "https://harness.local/schemas/"


def json_pointer(parts: Iterable[str | int]) -> str:
    """RFC 6901 pointer for a path of keys and indexes (``""`` is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True, slots=True)
class Violation:
    """One way an instance breaks a schema.

    ``pointer`` names the offending place in the instance (for a missing
    property: where it should have been); ``rule`` is the schema keyword
    (``required``, ``type``, ``format``, ...); ``value`` is what was found there.
    """

    schema_id: str
    pointer: str
    rule: str
    value: Any
    message: str
    schema_path: str

    def __str__(self) -> str:
        where = self.pointer or "(root)"
        return f"{where}: {self.message} [rule '{self.rule}' in {self.schema_id}]"

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema_id,
            "pointer": self.pointer,
            "rule": self.rule,
            "value": self.value,
            "message": self.message,
            "schema_path": self.schema_path,
        }


def _violation(schema_id: str, error: ValidationError) -> Violation:
    if error.context:
        error = best_match(error.context)
    path = list(error.absolute_path)
    value: Any = error.instance
    rule = str(error.validator)
    if rule == "required" and isinstance(error.instance, Mapping):
        missing = [
            name
            for name in cast(list[str], error.validator_value or [])
            if name not in error.instance
        ]
        if missing:
            path.append(missing[0])
            value = None
    if isinstance(value, dict | list) and len(json.dumps(value, default=str)) > 200:
        value = f"<{type(value).__name__} of {len(value)}>"
    return Violation(
        schema_id=schema_id,
        pointer=json_pointer(path),
        rule=rule,
        value=value,
        message=error.message if len(error.message) <= 300 else error.message[:297] + "...",
        schema_path=json_pointer(error.absolute_schema_path),
    )


class SchemaStore:
    """Every schema found under the given folders, by ``$id``, with compiled validators:
    the ``*.schema.json`` files and the documents their folders' ``readings.toml`` generate."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self._schemas: dict[str, dict[str, Any]] = {}
        self._files: dict[str, Path] = {}  # where each schema is written (or generated from)
        self._sources: dict[str, tuple[Path, ...]] = {}  # what a generated one is made from
        folders = list(folders)
        for folder in folders:
            for file in sorted(folder.rglob("*.schema.json")):
                self._add(file)
        for folder in folders:
            for readings in sorted(folder.rglob(READINGS_FILE)):
                self._add_generated(readings)
        self._registry: Registry[Any] = Registry().with_resources(
            (sid, DRAFT202012.create_resource(schema)) for sid, schema in self._schemas.items()
        )
        self._validators: dict[str, jsonschema.protocols.Validator] = {}
        self._fast: dict[str, Any] = {}
        self._rs_registry: Any = None

    def _add(self, file: Path) -> None:
        try:
            schema = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaError(file, None, f"cannot read JSON: {exc}") from exc
        sid = schema.get("$id") if isinstance(schema, dict) else None
        if not isinstance(sid, str):
            raise SchemaError(file, "$id", "missing", f"add an absolute $id under {ID_BASE}")
        if sid in self._schemas:
            raise SchemaError(file, "$id", f"{sid!r} is also the $id of {self._files[sid]}")
        self._schemas[sid] = schema
        self._files[sid] = file

    def _add_generated(self, readings: Path) -> None:
        folder = readings.parent
        files = {
            path.name: (self._schemas[sid], path)
            for sid, path in self._files.items()
            if path.parent == folder
        }
        for made in generate(readings, f"{ID_BASE}{folder.name}/", files):
            sid = made.schema["$id"]
            if sid in self._schemas:
                raise SchemaError(readings, "$id", f"{sid!r} is also the $id of {self._files[sid]}")
            self._schemas[sid] = made.schema
            self._files[sid] = readings
            self._sources[sid] = made.sources

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._schemas))

    def file(self, schema_id: str) -> Path:
        """The file a schema is written in (for a generated one: its readings.toml)."""
        return self._files[self.resolve(schema_id)]

    def is_generated(self, schema_id: str) -> bool:
        """Whether the schema is built from a readings.toml rather than read from its file."""
        return self.resolve(schema_id) in self._sources

    def schema(self, schema_id: str) -> dict[str, Any]:
        return self._schemas[self.resolve(schema_id)]

    def resolve(self, schema_id: str, vendor: str | None = None) -> str:
        """Accept a full ``$id``, ``vendor/name.schema.json`` or, with ``vendor``, a file name."""
        candidates = [schema_id, ID_BASE + schema_id]
        if vendor is not None:
            candidates.append(f"{ID_BASE}{vendor}/{schema_id}")
        for candidate in candidates:
            if candidate in self._schemas:
                return candidate
        known = ", ".join(s.removeprefix(ID_BASE) for s in self.ids[:8])
        raise SchemaError(
            None, schema_id, "no schema has this $id", f"known schemas include: {known}"
        )

    def validator(self, schema_id: str, vendor: str | None = None) -> Any:
        sid = self.resolve(schema_id, vendor)
        found = self._validators.get(sid)
        if found is None:
            found = _VALIDATOR(
                self._schemas[sid], registry=self._registry, format_checker=FORMAT_CHECKER
            )
            self._validators[sid] = found
        return found

    def fast_validator(self, schema_id: str, vendor: str | None = None) -> Any:
        """The compiled jsonschema-rs validator (formats on), or None if it cannot compile."""
        sid = self.resolve(schema_id, vendor)
        if sid not in self._fast:
            try:
                if self._rs_registry is None:
                    self._rs_registry = jsonschema_rs.Registry(list(self._schemas.items()))
                self._fast[sid] = jsonschema_rs.validator_for(
                    self._schemas[sid], registry=self._rs_registry, validate_formats=True
                )
            except (ValueError, jsonschema_rs.ReferencingError):
                self._fast[sid] = None
        return self._fast[sid]

    def validate(self, schema_id: str, instance: Any, vendor: str | None = None) -> list[Violation]:
        """Every violation of the schema by ``instance`` (empty when valid).

        The compiled validator answers the common case (valid) in microseconds; only
        an instance it rejects is re-validated by ``jsonschema`` for violations with
        pointers, rules and values (the reference verdict).
        """
        sid = self.resolve(schema_id, vendor)
        fast = self.fast_validator(sid)
        if fast is not None and fast.is_valid(instance):
            return []
        validator = self.validator(sid)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [_violation(sid, e) for e in errors]

    def validate_headers(
        self, schema_id: str, headers: Mapping[str, str], vendor: str | None = None
    ) -> list[Violation]:
        """Validate a header map; names are compared lower-cased."""
        lowered = {k.lower(): v for k, v in headers.items()}
        return self.validate(schema_id, lowered, vendor)

    def check_all(self) -> list[str]:
        """Problems with the schemas themselves, against the 2020-12 metaschema."""
        problems = []
        for sid, schema in self._schemas.items():
            for error in _VALIDATOR(_VALIDATOR.META_SCHEMA).iter_errors(schema):
                problems.append(f"{self._files[sid]}: {error.message}")
            if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
                problems.append(f"{self._files[sid]}: $schema is not Draft 2020-12")
        return problems

    @cached_property
    def digests(self) -> dict[str, str]:
        """sha256 of each schema's source, for run metadata: its file, or for a generated
        document the readings.toml it is described in plus the file it derives from."""
        return {
            sid.removeprefix(ID_BASE): hashlib.sha256(
                b"".join(p.read_bytes() for p in self._sources.get(sid, (self._files[sid],)))
            ).hexdigest()
            for sid in self.ids
        }


_DEFAULT: SchemaStore | None = None


def default_store() -> SchemaStore:
    """The store over every vendor folder and the harness's own schemas (loaded once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SchemaStore([*vendor_roots(), harness_schema_dir()])
    return _DEFAULT
