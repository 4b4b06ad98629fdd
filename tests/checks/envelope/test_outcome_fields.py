"""The envelope fields that state a call's outcome, on a scripted TuriTop-like server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.checks.envelope._servers import clauses, json_response, run, turitop


def test_a_failure_inside_http_200_is_accepted_leniently_and_refused_strictly(
    tmp_path: Path,
) -> None:
    lenient = run(tmp_path, "turitop", "envelope.status-field", turitop(failure_status=200))
    assert lenient.outcome == "passed", lenient.findings
    strict = run(
        tmp_path, "turitop", "envelope.status-field", turitop(failure_status=200), strict=True
    )
    assert clauses(strict) == {"TURI-ENV-STATUS"}


def test_a_numeric_envelope_code_passes_leniently_but_not_strictly(tmp_path: Path) -> None:
    def numeric(request: httpx.Request) -> httpx.Response:
        response = turitop()(request)
        body = json.loads(response.content)
        body["code"] = int(body["code"])
        return json_response(response.status_code, body)

    lenient = run(tmp_path, "turitop", "envelope.code-field", numeric)
    assert lenient.outcome == "passed", lenient.findings
    strict = run(tmp_path, "turitop", "envelope.code-field", numeric, strict=True)
    assert clauses(strict) == {"TURI-ENV-CODE"}
    assert "public material" in strict.findings[0].message
