"""Request validation in FastAPI's manner: every problem collected, then one 422.

A 422 body is ``{"detail": [{"loc": [...], "msg": ..., "type": ..., "input": ...}]}``
(PUBLIC-FACTS.md; the lenient error-422.schema.json accepts it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

from starlette.requests import Request

from harness.validation import default_store

_HEX = "[0-9a-fA-F]"
UUID_RE = re.compile(f"^{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}$")

_RULE_TYPES = {
    "enum": "enum",
    "type": "type_error",
    "minLength": "string_too_short",
    "maxLength": "string_too_long",
    "pattern": "string_pattern_mismatch",
    "format": "value_error",
    "anyOf": "value_error",
    "minProperties": "value_error",
}


class Problems:
    """The validation problems of one request."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, loc: tuple[str | int, ...], msg: str, kind: str, value: Any) -> None:
        self.items.append({"loc": list(loc), "msg": msg, "type": kind, "input": value})

    def body(self, form: str = "fastapi") -> dict[str, Any]:
        """FastAPI's list of problems, or (``form="document"``) one message string."""
        if form == "document":
            return {
                "detail": "; ".join(
                    f"{'.'.join(str(part) for part in p['loc'])}: {p['msg']}" for p in self.items
                )
            }
        return {"detail": self.items}


def single(request: Request, name: str, problems: Problems) -> str | None:
    """The one value of a query parameter (a repeated scalar parameter is a problem)."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        problems.add(("query", name), "Input should be a single value", "value_error", values)
        return None
    return values[0]


def integer(
    request: Request,
    name: str,
    problems: Problems,
    *,
    default: int,
    minimum: int,
    maximum: int | None = None,
) -> int:
    """An integer query parameter within ``[minimum, maximum]``."""
    text = single(request, name, problems)
    if text is None:
        return default
    value: int | None = None
    if text.isascii() and "_" not in text and text == text.strip():
        try:
            value = int(text)
        except ValueError:
            value = None
    if value is None:
        problems.add(
            ("query", name),
            "Input should be a valid integer, unable to parse string as an integer",
            "int_parsing",
            text,
        )
        return default
    if value < minimum:
        problems.add(
            ("query", name),
            f"Input should be greater than or equal to {minimum}",
            "greater_than_equal",
            text,
        )
    elif maximum is not None and value > maximum:
        problems.add(
            ("query", name),
            f"Input should be less than or equal to {maximum}",
            "less_than_equal",
            text,
        )
    return value


def choice(
    request: Request,
    name: str,
    allowed: Collection[str],
    problems: Problems,
    *,
    lenient: bool = False,
) -> str | None:
    """An enum query parameter; ``lenient`` passes unknown values through (a fault)."""
    text = single(request, name, problems)
    if text is None or text in allowed or lenient:
        return text
    problems.add(("query", name), _enum_message(allowed), "enum", text)
    return None


_TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "off", "f", "n"})


def boolean(request: Request, name: str, problems: Problems) -> bool | None:
    """A boolean query parameter as FastAPI parses one (true/false, 1/0, yes/no, on/off)."""
    text = single(request, name, problems)
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    problems.add(
        ("query", name),
        "Input should be a valid boolean, unable to interpret input",
        "bool_parsing",
        text,
    )
    return None


def uuid(request: Request, name: str, problems: Problems) -> str | None:
    """A UUID query parameter, lower-cased; a malformed one is a problem."""
    text = single(request, name, problems)
    if text is None:
        return None
    if not UUID_RE.fullmatch(text):
        problems.add(("query", name), "Input should be a valid UUID", "uuid_parsing", text)
        return None
    return text.lower()


def _enum_message(allowed: Collection[Any]) -> str:
    options = [f"'{a}'" for a in allowed]
    return "Input should be " + ", ".join(options[:-1]) + f" or {options[-1]}"


def ticket_id(request: Request, problems: Problems) -> str:
    """The ticket_id path parameter, lower-cased; a malformed one is a problem."""
    raw = str(request.path_params["ticket_id"])
    if not UUID_RE.fullmatch(raw):
        problems.add(("path", "ticket_id"), "Input should be a valid UUID", "uuid_parsing", raw)
    return raw.lower()


def body_problems(data: Any, schema_file: str, problems: Problems) -> None:
    """Check a JSON body against a vendor schema, as FastAPI would report it."""
    if data is None:
        problems.add(("body",), "Field required", "missing", None)
        return
    validator = default_store().validator(schema_file, "toptickets")
    for error in validator.iter_errors(data):
        loc: tuple[str | int, ...] = ("body", *error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    problems.add((*loc, name), "Field required", "missing", error.instance)
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            for name in error.instance:
                if name not in known:
                    problems.add(
                        (*loc, name),
                        "Extra inputs are not permitted",
                        "extra_forbidden",
                        error.instance[name],
                    )
        elif error.validator == "enum":
            problems.add(loc, _enum_message(error.validator_value), "enum", error.instance)
        else:
            kind = _RULE_TYPES.get(str(error.validator), "value_error")
            problems.add(loc, error.message, kind, error.instance)


def encodable(data: Any) -> bool:
    """Whether a parsed body is strict JSON that can be echoed back (no NaN, no lone surrogate)."""
    try:
        json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return False
    return True
