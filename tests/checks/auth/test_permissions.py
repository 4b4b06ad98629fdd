"""auth.excluded-user-refused: a user the document excludes is refused, with every
reading of an ambiguous refusal status accepted leniently."""

from __future__ import annotations

from pathlib import Path

from tests.checks.auth._mock import clauses, run, trackops_server


def test_refusing_a_limited_user_with_401_passes_leniently_but_not_strictly(tmp_path: Path) -> None:
    check = "auth.excluded-user-refused"
    lenient = run(tmp_path, "trackops", check, trackops_server(401, 401))
    strict = run(tmp_path, "trackops", check, trackops_server(401, 401), strict=True)
    served = run(tmp_path, "trackops", check, trackops_server(401, 200))
    assert clauses(lenient) == set()
    assert clauses(strict) == {"TRK-AUTH-FULL-ACCESS-ONLY"}
    assert clauses(served) == {"TRK-AUTH-FULL-ACCESS-ONLY"}
