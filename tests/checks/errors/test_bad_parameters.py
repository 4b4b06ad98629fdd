"""Refusing bad query parameters, against a small scripted server: the statuses the
readings of an ambiguous clause give (``[features.invalid_params] reading_statuses``)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.checks.errors._scripted import JSON, run


def _bad_param_400(request: httpx.Request) -> httpx.Response:
    return httpx.Response(400, headers=JSON, json={"detail": "bad parameter"})


def test_a_bad_parameter_refused_with_400_is_accepted_leniently_but_not_strictly(
    tmp_path: Path,
) -> None:
    lenient = run(tmp_path, "toptickets", "errors.bad-parameter", _bad_param_400)
    assert lenient.outcome == "passed", lenient.findings
    strict = run(tmp_path, "toptickets", "errors.bad-parameter", _bad_param_400, strict=True)
    assert {f.clause for f in strict.findings} == {"TOP-ERR-BAD-PARAM"}
