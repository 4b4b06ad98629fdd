"""The statuses of what the run recorded, against small scripted servers."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.errors._scripted import JSON, run


def test_an_undocumented_status_is_reported_against_the_status_set(tmp_path: Path) -> None:
    def teapot(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/tickets"):
            return httpx.Response(200, headers=JSON, json=[])
        return httpx.Response(418, headers=JSON, json={"detail": "I'm a teapot"})

    result = run(tmp_path, "toptickets", "errors.status-set", teapot)
    assert [f.clause for f in result.findings] == ["TOP-ERR-STATUS-SET"]
    assert "418" in result.findings[0].title


def test_an_error_served_with_200_is_a_failure_disguised_as_success(tmp_path: Path) -> None:
    def disguised(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=JSON, json={"error": "Something went wrong"})

    result = run(tmp_path, "trackops", "errors.error-in-success", disguised)
    assert {f.clause for f in result.findings} == {"TRK-ERR-HTTP-STATUS"}
