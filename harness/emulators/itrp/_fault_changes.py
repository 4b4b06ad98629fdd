"""What the ITRP middleware faults do to a response: body and header changes, and the
request conditions they pick responses by. The catalog itself (``FAULTS``) is in
``_faults``; this module only holds the small pure functions it is built from."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from starlette.types import Scope

from harness.emulators._fault_rewrite import Headers, Rewrite
from harness.emulators._fault_when import When
from harness.emulators.itrp import _vocab as vocab

Change = Callable[[Any, Scope, int], Any]


# ---------------------------------------------------------------- request conditions
def _query(scope: Scope) -> str:
    raw = scope.get("query_string", b"")
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)


def query_has(param: str, present: bool = True) -> When:
    """Only requests whose query string does (or does not) carry ``param=``."""

    def test(scope: Scope, status: int) -> bool:
        found = any(p.split("=", 1)[0] == param for p in _query(scope).split("&") if p)
        return found is present

    return When(lambda: test, f"requests {'with' if present else 'without'} ?{param}=")


def path_ends(suffix: str) -> When:
    """Only requests whose path ends with ``suffix`` (``.json``)."""
    return When(lambda: lambda scope, status: scope["path"].endswith(suffix), f"paths *{suffix}")


def unknown_path(prefixes: tuple[str, ...]) -> When:
    """Only requests whose path starts with none of the known collection ``prefixes``."""

    def test(scope: Scope, status: int) -> bool:
        return not any(scope["path"].startswith(p) for p in prefixes)

    return When(lambda: test, "unknown paths", frozenset({"one-operation"}))


# ---------------------------------------------------------------- JSON body changes
def ids_as_strings(data: Any, scope: Scope, status: int) -> Any:
    """Every integer ``id`` at any depth becomes a JSON string."""
    if isinstance(data, list):
        return [ids_as_strings(item, scope, status) for item in data]
    if isinstance(data, dict):
        return {
            k: str(v) if k == "id" and isinstance(v, int) else ids_as_strings(v, scope, status)
            for k, v in data.items()
        }
    return data


def reference_ids_as_strings(data: Any, scope: Scope, status: int) -> Any:
    """Ids inside references (a person's site, a request's requested_by) become strings;
    the records' own ids stay integers."""
    if isinstance(data, list):
        return [reference_ids_as_strings(item, scope, status) for item in data]
    if isinstance(data, dict):
        return {
            k: ids_as_strings(v, scope, status) if isinstance(v, dict) else v
            for k, v in data.items()
        }
    return data


def errors_as_objects(data: Any, scope: Scope, status: int) -> Any:
    if isinstance(data, dict) and isinstance(data.get("errors"), list):
        data["errors"] = [
            {"attribute": e[0], "message": e[1]} if isinstance(e, list) and len(e) == 2 else e
            for e in data["errors"]
        ]
    return data


def errors_by_field(data: Any, scope: Scope, status: int) -> Any:
    """Validation errors grouped by field (``{"subject": ["..."]}``), Rails' other style."""
    if isinstance(data, dict) and isinstance(data.get("errors"), list):
        grouped: dict[str, list[str]] = {}
        for entry in data["errors"]:
            if isinstance(entry, list) and len(entry) == 2:
                grouped.setdefault(str(entry[0]), []).append(str(entry[1]))
        data["errors"] = grouped
    return data


def with_key(key: str, value: Callable[[int], Any]) -> Change:
    """Error bodies (objects with a message) gain ``key`` beside the message."""

    def change(data: Any, scope: Scope, status: int) -> Any:
        if isinstance(data, dict) and "message" in data:
            data[key] = value(status)
        return data

    return change


def without_key(key: str) -> Change:
    """The top-level object loses ``key``."""

    def change(data: Any, scope: Scope, status: int) -> Any:
        if isinstance(data, dict):
            data.pop(key, None)
        return data

    return change


def records_without_id(data: Any, scope: Scope, status: int) -> Any:
    """Each record (top level, or each item of a list) loses its id."""
    if isinstance(data, list):
        return [records_without_id(item, scope, status) for item in data]
    if isinstance(data, dict):
        data.pop("id", None)
    return data


def wrapped_in(key: str) -> Change:
    """The body moves under ``key`` (``{"person": {...}}``)."""
    return lambda data, scope, status: {key: data}


def root_with_version(data: Any, scope: Scope, status: int) -> Any:
    return {"version": "v1"} if data == {} else data


def account_id_only(value: Any) -> Any:
    """An account reference reduced to its id (the name left out)."""
    return {"id": value["id"]} if isinstance(value, dict) and "id" in value else value


def languages_without(*codes: str) -> Change:
    """The language list of /enums without the entries of ``codes``."""

    def change(data: Any, scope: Scope, status: int) -> Any:
        if isinstance(data, dict) and isinstance(data.get("language"), list):
            data["language"] = [
                e for e in data["language"] if not (isinstance(e, dict) and e.get("id") in codes)
            ]
        return data

    return change


def enums_in_default_language(data: Any, scope: Scope, status: int) -> Any:
    """/enums answered in the user's own language whatever X-ITRP-Language says."""
    return vocab.enums(vocab.DEFAULT_LANGUAGE) if isinstance(data, dict) else data


def truncated(length: int) -> Callable[[Any], Any]:
    return lambda value: value[:length] if isinstance(value, str) else value


# ---------------------------------------------------------------- whole-response rewrites
def answer(status: int, body: dict[str, Any] | None) -> Rewrite:
    """Replace the response by ``status`` with the JSON ``body`` (None: no body at all)."""

    def rewrite(scope: Scope, old: int, headers: Headers, raw: bytes) -> tuple[int, Headers, bytes]:
        return status, headers, b"" if body is None else json.dumps(body).encode()

    return rewrite


def invalid_json_as_empty(
    scope: Scope, old: int, headers: Headers, raw: bytes
) -> tuple[int, Headers, bytes]:
    """A body that is not JSON read as an empty one: the validation errors of a bare create."""
    errors = [["subject", "Subject can't be blank"], ["category", "Category can't be blank"]]
    return 422, headers, json.dumps({"message": "Validation Failed", "errors": errors}).encode()


def link_without_relation(rel: str) -> Callable[[str], str]:
    """A Link header without the entry of relation ``rel``."""

    def change(value: str) -> str:
        parts = [p for p in value.split(", ") if f'rel="{rel}"' not in p]
        return ", ".join(parts)

    return change


def link_relative(value: str) -> str:
    """Link URLs as paths (``</v1/sites?page=2>``) instead of absolute URLs."""
    parts = []
    for part in value.split(", "):
        url, sep, rest = part.partition(">")
        scheme_host = url.find("/", url.find("//") + 2) if "//" in url else -1
        parts.append("<" + url[scheme_host:] + sep + rest if scheme_host > 0 else part)
    return ", ".join(parts)


def _basic_password(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == b"authorization" and value[:6].lower() == b"basic ":
            try:
                decoded = base64.b64decode(value[6:].strip()).decode()
            except (binascii.Error, UnicodeDecodeError):
                return None
            return decoded.partition(":")[2]
    return None


def password_auth() -> When:
    """Only requests with Basic auth whose password is not the token's ``x``: email and
    password."""

    def test(scope: Scope, status: int) -> bool:
        password = _basic_password(scope)
        return password is not None and password != "x"

    return When(lambda: test, "requests with email and password")


def home_records(change: Change) -> Change:
    """``change`` applied only to a record of the caller's own account (no account key)."""
    return lambda data, scope, status: (
        change(data, scope, status) if isinstance(data, dict) and "account" not in data else data
    )


def counted_twice(limit: int) -> Callable[[str], str]:
    """A remaining count as if every request of the window had been counted twice."""

    def change(value: str) -> str:
        if not value.strip().isdigit():
            return value
        return str(max(0, limit - 2 * (limit - int(value))))

    return change
