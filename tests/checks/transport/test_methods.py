"""Which requests serve an operation, on a scripted TuriTop-like server that serves POST
only and ignores GET query strings."""

from __future__ import annotations

from pathlib import Path

from tests.checks.envelope._servers import run, turitop


def test_a_get_request_is_not_served_where_only_post_is_documented(tmp_path: Path) -> None:
    for check in ("transport.documented-method", "transport.get-params-ignored"):
        result = run(tmp_path, "turitop", check, turitop(), strict=True)
        assert result.outcome == "passed", (check, result.findings, result.reason)
