"""The helpers attribute selection relies on: values compared loosely (content, not JSON
scalar types), and a documented example path split into path and query; and the check
against a scripted server (no sockets)."""

from __future__ import annotations

from pathlib import Path

import httpx

from harness.checks import get_check
from harness.checks._ops import loosely, split_example
from harness.engine import CheckResult, run_check
from tests.support.sessions import Handler, fake_session

JSON = {"content-type": "application/json; charset=utf-8"}
SITES = [{"id": 1, "name": "Main", "city": "Leiden"}, {"id": 2, "name": "Annex", "city": "Delft"}]


def _run(tmp_path: Path, check: str, handler: Handler) -> CheckResult:
    session = fake_session(tmp_path, "itrp", handler)
    try:
        return run_check(session, get_check(check), None)
    finally:
        session.close()


def test_loose_comparison_ignores_json_scalar_types_only() -> None:
    assert loosely([{"id": 13, "ok": True}]) == loosely([{"id": "13", "ok": "true"}])
    assert loosely({"id": 13}) != loosely({"id": 14})
    assert loosely(None) is None


def test_an_example_path_splits_into_path_and_query() -> None:
    assert split_example("/sites?fields=name") == ("/sites", {"fields": "name"})
    assert split_example("/me") == ("/me", {})


def _selecting(keep_extra: bool) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        selected = request.url.params.get("fields")
        if selected is None:
            return httpx.Response(200, headers=JSON, json=SITES)
        keep = {"id", selected} | ({"city"} if keep_extra else set())
        return httpx.Response(
            200, headers=JSON, json=[{k: v for k, v in s.items() if k in keep} for s in SITES]
        )

    return handler


def test_fields_keeps_only_the_named_attribute_and_the_id(tmp_path: Path) -> None:
    result = _run(tmp_path, "representation.fields", _selecting(keep_extra=False))
    assert result.outcome == "passed", (result.findings, result.reason)


def test_fields_keeping_unrequested_attributes_is_reported(tmp_path: Path) -> None:
    result = _run(tmp_path, "representation.fields", _selecting(keep_extra=True))
    assert {f.clause for f in result.findings} == {"ITRP-ENV-FIELDS"}
    assert "unrequested attributes ['city']" in result.findings[0].message
