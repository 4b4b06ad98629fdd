"""What a successful read answers: the service root's documented body."""

from __future__ import annotations

from pathlib import Path

from tests.checks.envelope._servers import clauses, itrp, run


def test_a_service_root_with_content_breaks_the_root_clause(tmp_path: Path) -> None:
    result = run(tmp_path, "itrp", "envelope.service-root", itrp(root={"hello": 1}))
    assert clauses(result) == {"ITRP-ENV-ROOT"}


def test_the_documented_empty_service_root_passes(tmp_path: Path) -> None:
    result = run(tmp_path, "itrp", "envelope.service-root", itrp(), strict=True)
    assert result.outcome == "passed", (result.findings, result.reason)
