"""Trackops faults of responses: JSON and statuses, error bodies, UTC timestamps
(the untitled "Responses" passage of the document)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from starlette.types import Scope

from harness.emulators._faults import (
    Fault,
    Headers,
    When,
    every_nth,
    json_field,
    on_operation,
    on_status,
    on_success,
    replace_header,
    rewrite_json,
    rewriter,
    set_status,
)
from harness.emulators.trackops import _switches as sw

BASE = "/api/v1"
_SERVED = re.compile(rf"^{BASE}/(clients|cases|users|expense/entries)(/[0-9]+)?/?$")


def _unknown_path(scope: Scope, status: int) -> bool:
    """A URL the API does not serve at all (not a missing record of a served collection)."""
    return not _SERVED.match(scope["path"])


UNKNOWN_PATH = When(lambda: _unknown_path, "unknown URLs")
_RECORD = re.compile(rf"^{BASE}/(clients|cases|expense/entries)/[0-9]+/?$")


def _record_url(scope: Scope, status: int) -> bool:
    """A record URL of a served collection (a well-formed id, whether or not it exists)."""
    return bool(_RECORD.match(scope["path"]))


RECORD_URL = When(lambda: _record_url, "record URLs")


def _times(change: Any) -> Any:
    """A body change applying ``change`` to every created / updated string, at any depth."""

    def walk(data: Any, scope: Scope, status: int) -> Any:
        if isinstance(data, list):
            return [walk(item, scope, status) for item in data]
        if isinstance(data, dict):
            return {
                k: change(v)
                if k in ("created", "updated") and isinstance(v, str)
                else walk(v, scope, status)
                for k, v in data.items()
            }
        return data

    return walk


def _zero_offset(value: str) -> str:
    return value[:-1] + "+00:00" if value.endswith("Z") else value


def _local_plus_one(value: str) -> str:
    """The same instant in the server's zone (+01:00): right moment, not UTC."""
    if not value.endswith("Z"):
        return value
    moment = datetime.fromisoformat(value[:-1] + "+00:00").astimezone(timezone(timedelta(hours=1)))
    return moment.strftime("%Y-%m-%dT%H:%M:%S+01:00")


def _no_query(scope: Scope, status: int) -> bool:
    return not scope.get("query_string", b"")


def _without_zone(value: Any) -> Any:
    """A UTC time with its 'Z' dropped: a local time of no stated zone."""
    return value[:-1] if isinstance(value, str) and value.endswith("Z") else value


def _empty(scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
    return status, headers, b""


FAULTS: tuple[Fault, ...] = (
    Fault(
        "trackops-404-labelled-html",
        "TRK-RESP-JSON",
        "404 answers keep their JSON body but are labelled text/html",
        replace_header("Content-Type", lambda value: "text/html; charset=utf-8", on_status(404)),
    ),
    Fault(
        "trackops-users-labelled-text",
        "TRK-RESP-JSON",
        "GET /users answers its JSON array labelled text/plain; other reads stay JSON",
        replace_header(
            "Content-Type",
            lambda value: "text/plain; charset=utf-8",
            on_operation("GET", f"{BASE}/users") & on_success,
        ),
    ),
    Fault(
        "trackops-users-203",
        "TRK-RESP-200",
        "GET /users answers 203 Non-Authoritative Information instead of 200; the body is right",
        set_status(
            lambda status, scope: 203,
            when=on_operation("GET", f"{BASE}/users") & on_status(200) & _no_query,
        ),
    ),
    Fault(
        "trackops-400-error-code-not-message",
        "TRK-ERR-MESSAGE",
        'a 400 answers {"error": 400}: a code where the message should be; other errors are right',
        json_field("error", lambda value: 400, when=on_status(400)),
    ),
    Fault(
        "trackops-403-empty-body",
        "TRK-ERR-MESSAGE",
        "a 403 comes with an empty body (the 'usually' reading: a message only in most cases)",
        rewriter(_empty, when=on_status(403)),
        reading="usually",
    ),
    Fault(
        "trackops-unknown-url-400",
        "TRK-ERR-404-BAD-URL",
        "a URL the API does not serve answers 400 instead of 404; a missing record still 404s",
        set_status(lambda status, scope: 400, when=on_status(404) & UNKNOWN_PATH),
    ),
    Fault(
        sw.TIMESTAMPS_PLUS_TWO,
        "TRK-TIME-UTC",
        "created/updated are served in the server's zone (+02:00) instead of UTC",
    ),
    Fault(
        "trackops-timestamps-zero-offset",
        "TRK-TIME-UTC",
        "created/updated end in +00:00 instead of Z: UTC, in the utc-offset reading's notation",
        rewrite_json(_times(_zero_offset), when=on_success),
        reading="utc-offset",
    ),
    Fault(
        "trackops-entries-times-plus-one-sometimes",
        "TRK-TIME-UTC",
        "one in two answers of GET /expense/entries gives its times in the server's zone (+01:00)",
        rewrite_json(
            _times(_local_plus_one),
            when=every_nth(2, on_operation("GET", f"{BASE}/expense/entries") & on_success),
        ),
    ),
    Fault(
        "trackops-case-updated-without-zone",
        "TRK-TIME-UTC",
        "GET /cases/{id} gives 'updated' without its zone (2024-05-01T10:00:00, no Z); "
        "lists and other records are right",
        json_field(
            "updated",
            _without_zone,
            when=on_operation("GET", f"{BASE}/cases/{{id}}") & on_success,
        ),
    ),
    Fault(
        "trackops-case-get-203",
        "TRK-RESP-200",
        "GET /cases/{id} answers 203 instead of 200 (the record is right); lists answer 200",
        set_status(
            lambda status, scope: 203,
            when=on_operation("GET", f"{BASE}/cases/{{id}}") & on_status(200),
        ),
    ),
    Fault(
        "trackops-missing-record-200",
        "TRK-ERR-HTTP-STATUS",
        'a missing record (GET /clients/999999) answers 200 with its {"error": "... not '
        'found"} body; unknown URLs still get 404',
        set_status(lambda status, scope: 200, when=on_status(404) & RECORD_URL),
    ),
    Fault(
        "trackops-missing-entry-200",
        "TRK-ERR-HTTP-STATUS",
        "only GET /expense/entries/{id} answers a missing entry with 200 and an error body",
        set_status(
            lambda status, scope: 200,
            when=on_status(404) & on_operation("GET", f"{BASE}/expense/entries/{{id}}"),
        ),
    ),
)
