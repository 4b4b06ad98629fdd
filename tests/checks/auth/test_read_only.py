"""auth.read-only-write-forbidden: a read-only key that can write is found (and its
record removed), a 403 that still creates the record is found, a clean 403 passes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.checks.auth._mock import clauses, run

CHECK = "auth.read-only-write-forbidden"


def test_a_read_only_key_that_can_write_is_found_and_its_record_removed(tmp_path: Path) -> None:
    deleted: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json={"id": "t-1", **json.loads(request.content)})
        if request.method == "DELETE":
            deleted.append(request.url.path)
            return httpx.Response(204)
        return httpx.Response(200, json=[])

    result = run(tmp_path, "toptickets", CHECK, handler, writes=True)
    assert clauses(result) == {"TOP-AUTH-403"}
    assert deleted == ["/v1/tickets/t-1"]


def test_a_403_that_still_creates_the_record_is_found(tmp_path: Path) -> None:
    stored: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            stored.append({"id": "t-1", **json.loads(request.content)})
            return httpx.Response(403, json={"detail": "Insufficient permissions"})
        return httpx.Response(200, json=stored)

    result = run(tmp_path, "toptickets", CHECK, handler, writes=True)
    assert [f.title for f in result.findings] == ["refused write changed state"]


def test_a_read_only_write_refused_with_403_and_no_change_passes(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(403, json={"detail": "Insufficient permissions"})
        return httpx.Response(200, json=[{"id": "t-0", "subject": "old"}])

    result = run(tmp_path, "toptickets", CHECK, handler, writes=True)
    assert result.outcome == "passed"
