"""Calls at the documented pace, against a scripted Trackops-like server."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.ratelimit._scripted import JSON, clauses, run


def test_a_refusal_at_the_documented_pace_breaks_the_one_per_second_clause(
    tmp_path: Path,
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/clients"):
            return httpx.Response(429, headers=JSON, json={"error": "Too many requests"})
        return httpx.Response(404, headers=JSON, json={"error": "Not Found"})

    results = run(tmp_path, "trackops", ("ratelimit.paced",), handle)
    assert clauses(results) == {"TRK-RL-ONE-PER-SECOND"}
    assert "2 of 3" in results[0].findings[0].title
