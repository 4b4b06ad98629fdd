"""Asking for what does not exist, against a small scripted server."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.errors._scripted import JSON, run


def test_a_record_that_does_not_exist_must_not_be_served(tmp_path: Path) -> None:
    def served(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=JSON, json={"id": 1, "name": "Howard"})

    result = run(tmp_path, "itrp", "errors.unknown-record", served, operation="people.get")
    assert {f.clause for f in result.findings} == {"ITRP-ERR-404"}
    assert "2147483646" in result.findings[0].message
