"""token.grant: a grant with the wrong token type is blamed on the grant clause; a
payload that sits elsewhere is left to the envelope checks."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.auth._mock import Handler, clauses, run


def _turris_grant(data: dict[str, object], wrap: bool = False) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        envelope = {
            "requestId": "dev-1",
            "statusCode": 201,
            "timestamp": "2024-01-01T00:00:00.000Z",
        }
        body: dict[str, object] = {**envelope, "data": data}
        if wrap:
            body = {**envelope, "data": body}
        return httpx.Response(201, json=body)

    return handler


def test_a_grant_with_the_wrong_token_type_is_blamed_on_the_grant_clause(tmp_path: Path) -> None:
    data = {"accessToken": "aaa.bbb.ccc", "expiresIn": 3600, "tokenType": "bearer"}
    result = run(tmp_path, "turris", "token.grant", _turris_grant(data))
    assert clauses(result) == {"TRS-TOKEN-GRANT"}


def test_a_grant_whose_payload_sits_elsewhere_is_left_to_the_envelope_checks(
    tmp_path: Path,
) -> None:
    data = {"accessToken": "aaa.bbb.ccc", "expiresIn": 3600, "tokenType": "Bearer"}
    result = run(tmp_path, "turris", "token.grant", _turris_grant(data, wrap=True))
    assert result.outcome == "skipped"
    assert "/data/data/accessToken" in result.reason
