"""auth.missing-refused and auth.refusal-body: a read without credentials is refused
with the documented status (every reading of an ambiguous one, leniently), an error
envelope served with 200 counts as a refusal, and the refusal body has the documented
keys."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.auth._mock import clauses, itrp_server, run, trackops_server, turitop_server


def test_a_read_served_without_credentials_is_blamed_on_the_401_clause(tmp_path: Path) -> None:
    result = run(
        tmp_path, "toptickets", "auth.missing-refused", lambda r: httpx.Response(200, json=[])
    )
    assert clauses(result) == {"TOP-AUTH-401"}


def test_refusing_a_missing_login_with_403_passes_leniently_but_not_strictly(
    tmp_path: Path,
) -> None:
    check = "auth.missing-refused"
    lenient = run(tmp_path, "trackops", check, trackops_server(403, 403))
    strict = run(tmp_path, "trackops", check, trackops_server(403, 403), strict=True)
    assert clauses(lenient) == set()
    assert clauses(strict) == {"TRK-AUTH-MISSING"}


def test_an_error_envelope_served_with_200_counts_as_a_refusal(tmp_path: Path) -> None:
    result = run(tmp_path, "turitop", "auth.missing-refused", turitop_server(True, True, 200))
    assert clauses(result) == set()


def test_a_refusal_body_without_the_message_is_found_but_an_extra_key_is_not(
    tmp_path: Path,
) -> None:
    check = "auth.refusal-body"
    without = run(tmp_path, "itrp", check, itrp_server(True, True, {"error": "no"}))
    extra = run(tmp_path, "itrp", check, itrp_server(True, True, {"message": "no", "status": 401}))
    assert clauses(without) == {"ITRP-AUTH-401"}
    assert clauses(extra) == set()
