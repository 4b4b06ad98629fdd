"""Reading TOML/JSON data files and validating them with errors that name file and key."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from harness._resources import feature_schema_files, harness_schema_dir
from harness.errors import ConfigError

_SCHEMAS: dict[str, Any] = {}


def harness_schema(name: str) -> Any:
    """One of the harness's own schemas (``profile``, ``clauses``, ``examples``, ``target``)."""
    if name not in _SCHEMAS:
        path = harness_schema_dir() / f"{name}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        if name == "profile":
            schema["properties"]["features"] = feature_tables()
        _SCHEMAS[name] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
    return _SCHEMAS[name]


def feature_tables() -> dict[str, Any]:
    """The schema of a profile's ``[features]``, assembled from the check packages' own
    ``features.schema.json``: every table closed to unknown keys, each allowed the
    provenance keys ``source`` and ``section``."""
    tables: dict[str, Any] = {}
    owners: dict[str, Path] = {}
    for path in feature_schema_files():
        declared = json.loads(path.read_text(encoding="utf-8"))
        for table_name, table in declared.get("properties", {}).items():
            if table_name in tables:
                raise ConfigError(
                    path,
                    f"properties.{table_name}",
                    f"is also declared by {owners[table_name]}",
                    "one package owns each feature table",
                )
            properties = dict(table.get("properties", {}))
            properties.setdefault("source", {"$ref": "#/$defs/source"})
            properties.setdefault("section", {"type": "string"})
            tables[table_name] = {
                **table,
                "type": "object",
                "properties": properties,
                "additionalProperties": table.get("additionalProperties", False),
            }
            owners[table_name] = path
    return {
        "type": "object",
        "description": "documented vendor behaviours, each table declared by the check "
        "package that reads it (harness/checks/<package>/features.schema.json)",
        "properties": tables,
        "additionalProperties": False,
    }


def read_data(path: Path, error: type[ConfigError]) -> Any:
    """Parse a .toml or .json file; a syntax error names the file and the line."""
    if path.is_dir():
        raise error(path, None, "is a folder, not a file", "give the path of the file itself")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(path, None, "file not found", "check the path") from exc
    except UnicodeDecodeError as exc:
        raise error(
            path, None, f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8"
        ) from exc
    except OSError as exc:
        raise error(path, None, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(path, None, f"invalid TOML: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise error(path, None, f"invalid JSON: {exc}") from exc


def dotted(path: Any) -> str:
    """``['auth', 0, 'kind']`` -> ``auth[0].kind``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _hidden(key: str, hidden: Sequence[str]) -> bool:
    return any(key == h or key.startswith(h + ".") for h in hidden)


def shown(value: Any, secret: bool) -> str:
    """A found value for an error message: its repr, or only its type where it may be a
    secret (a credential of the wrong type must not be echoed)."""
    if secret:
        return f"a value of type {type(value).__name__} (not shown: it may be secret)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _non_finite(data: Any, at: list[Any]) -> list[Any] | None:
    """The key path of the first NaN or infinity (TOML allows both), else None."""
    if isinstance(data, float) and not math.isfinite(data):
        return at
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found = _non_finite(value, [*at, key])
        if found is not None:
            return found
    return None


def check_against(
    data: Any,
    schema_name: str,
    path: Path,
    error: type[ConfigError],
    hidden: Sequence[str] = (),
) -> None:
    """Raise ``error`` naming file, key and the expected form for the first schema violation.

    Values under the dotted keys in ``hidden`` (credentials) are never shown, only their type.
    """
    bad = _non_finite(data, [])
    if bad is not None:
        key = dotted(bad)
        raise error(
            path,
            key,
            f"got {shown(_at(data, bad), _hidden(key, hidden))}",
            "expected a finite number",
        )
    validator = harness_schema(schema_name)
    found = best_match(validator.iter_errors(data))
    if found is None:
        return
    key_path = list(found.absolute_path)
    expected = _expected(found)
    if found.validator == "required":
        missing = [k for k in found.validator_value if k not in found.instance]
        key_path.append(missing[0] if missing else "?")
        raise error(path, dotted(key_path) or None, "is missing", f"add it ({expected})")
    if found.validator == "additionalProperties":
        extra = sorted(set(found.instance) - set(found.schema.get("properties", {})))
        allowed = ", ".join(sorted(found.schema.get("properties", {})))
        key_path.append(extra[0] if extra else "?")
        raise error(path, dotted(key_path), "is not a known key", f"known keys here: {allowed}")
    key = dotted(key_path)
    raise error(
        path,
        key or None,
        f"got {shown(found.instance, _hidden(key, hidden))}",
        f"expected {expected}",
    )


def _at(data: Any, key_path: list[Any]) -> Any:
    for part in key_path:
        data = data[part]
    return data


def _expected(error: jsonschema.ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    rule = error.validator
    if rule == "enum":
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    if rule == "type":
        return f"a value of type {schema['type']}"
    if rule == "pattern":
        return f"a string matching {schema['pattern']!r}"
    if rule in ("minimum", "maximum", "minLength", "maxLength", "minItems", "minProperties"):
        return f"{rule} {schema[rule]}"
    description = schema.get("description")
    return f"{error.message}" + (f" ({description})" if description else "")
