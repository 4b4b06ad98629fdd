"""The error body checks against small scripted servers: each broken body blamed on the
clause its status and field are about; an empty body accepted only where a reading says
a message is optional."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.errors._scripted import JSON, run


def _itrp_with_extra_key(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/requests") and request.method == "POST":
        body = {"message": "Validation Failed", "errors": [{"subject": "can't be blank"}]}
        return httpx.Response(422, headers=JSON, json=body)
    return httpx.Response(404, headers=JSON, json={"message": "Not Found", "status": 404})


def test_an_extra_key_in_an_error_body_is_blamed_on_the_general_body_clause(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, "itrp", "errors.body-shape", _itrp_with_extra_key)
    assert {f.clause for f in result.findings} == {"ITRP-ERR-BODY"}


def test_a_broken_validation_body_is_blamed_on_the_validation_clause(tmp_path: Path) -> None:
    result = run(tmp_path, "itrp", "errors.validation-failure", _itrp_with_extra_key, writes=True)
    assert {f.clause for f in result.findings} == {"ITRP-ERR-422"}


def test_an_error_without_a_body_is_accepted_only_in_the_lenient_reading(tmp_path: Path) -> None:
    def bare(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404 if "no-such" in request.url.path else 401)

    lenient = run(tmp_path, "trackops", "errors.body-shape", bare)
    assert lenient.outcome == "passed", lenient.findings
    strict = run(tmp_path, "trackops", "errors.body-shape", bare, strict=True)
    assert {f.clause for f in strict.findings} == {"TRK-ERR-MESSAGE"}


def test_an_empty_validation_error_is_reported_where_every_reading_has_a_shape(
    tmp_path: Path,
) -> None:
    def empty(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422)

    result = run(tmp_path, "toptickets", "errors.body-shape", empty)
    assert {f.clause for f in result.findings} == {"TOP-ERR-422-SHAPE"}


def _turris_error(message: object) -> httpx.Response:
    body = {
        "statusCode": 404,
        "requestId": "dev-00000000-0000-4000-8000-000000000000",
        "errorType": "not_found",
        "errorMessage": message,
        "timestamp": "2025-03-17T10:15:45.000Z",
    }
    return httpx.Response(404, headers=JSON, json=body)


def test_a_broken_error_field_is_blamed_on_the_clause_about_that_field(tmp_path: Path) -> None:
    def single_message(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/jwt"):
            token = {"data": {"accessToken": "t", "expiresIn": 3600}}
            return httpx.Response(201, headers=JSON, json=token)
        return _turris_error("Not found")  # a string, where a list of strings is documented

    result = run(tmp_path, "turris", "errors.body-shape", single_message)
    assert {f.clause for f in result.findings} == {"TRS-ERR-MESSAGES"}
