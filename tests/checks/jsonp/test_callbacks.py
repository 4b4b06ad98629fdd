"""The JSON-P checks against scripted servers (no sockets), and what they rely on: reading
the callback's single argument, the one RFC 8288 Link parser of harness.checks._weblinks,
and URLs compared without the callback parameter."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from harness.checks import get_check
from harness.checks._weblinks import LinkValue, parse_link_header, same_url
from harness.checks.jsonp.callbacks import unwrap
from harness.engine import CheckResult, run_check
from tests.support.sessions import Handler, fake_session

JSON = {"content-type": "application/json; charset=utf-8"}


def _run(tmp_path: Path, check: str, handler: Handler, strict: bool = False) -> CheckResult:
    session = fake_session(tmp_path, "itrp", handler, strict=strict)
    try:
        return run_check(session, get_check(check), None)
    finally:
        session.close()


def jsonp_server(status_as_text: bool) -> Handler:
    """Answers the main read (a Link header when authorized); wraps with ?callback=."""
    link = '<https://itrp.test/v1/requests?page=2>; rel="next"'

    def handler(request: httpx.Request) -> httpx.Response:
        authorized = "authorization" in request.headers
        status = 200 if authorized else 401
        body: object = [{"id": 1}] if authorized else {"message": "Access credentials required"}
        headers = {**JSON, "Link": link} if authorized else dict(JSON)
        callback = request.url.params.get("callback")
        if callback is None:
            return httpx.Response(status, headers=headers, json=body)
        meta: dict[str, object] = {"status": str(status) if status_as_text else status}
        if authorized:
            meta["Link"] = [["https://itrp.test/v1/requests?page=2", {"rel": "next"}]]
        text = f"{callback}({json.dumps({'meta': meta, 'data': body})})"
        return httpx.Response(200, headers=JSON, content=text.encode())

    return handler


def test_a_jsonp_body_unwraps_to_its_single_argument() -> None:
    assert unwrap(b'foo({"meta": {"status": 200}, "data": []})', "foo") == (
        {"meta": {"status": 200}, "data": []},
        None,
    )
    assert unwrap(b'/**/ foo({"a": 1});\n', "foo") == ({"a": 1}, None)
    assert unwrap(b'bar({"a": 1})', "foo")[1] == "the body calls bar(...), not foo(...)"
    assert "not a call" in str(unwrap(b'{"a": 1}', "foo")[1])
    assert "not one JSON value" in str(unwrap(b"foo({a: 1})", "foo")[1])


def test_a_link_header_parses_into_urls_and_relations() -> None:
    header = (
        '<https://api.example.com/v1/requests?page=1&per_page=20>; rel="first", '
        '<https://api.example.com/v1/requests?page=2&per_page=20>; rel=next;title="a, b"'
    )
    assert parse_link_header(header) == (
        [
            LinkValue("https://api.example.com/v1/requests?page=1&per_page=20", {"rel": "first"}),
            LinkValue(
                "https://api.example.com/v1/requests?page=2&per_page=20",
                {"rel": "next", "title": "a, b"},
            ),
        ],
        [],
    )
    assert parse_link_header("") == ([], [])


def test_urls_compare_without_query_order_or_ignored_parameters() -> None:
    assert same_url("https://h/v1/r?page=2&per_page=5", "https://h/v1/r?per_page=5&page=2")
    assert same_url("https://h/v1/r?page=2&callback=foo", "https://h/v1/r?page=2", ("callback",))
    assert not same_url("https://h/v1/r?page=2", "https://h/v1/r?page=3")


def test_jsonp_meta_with_the_status_as_text_breaks_the_meta_clause_only(tmp_path: Path) -> None:
    meta = _run(tmp_path, "jsonp.meta", jsonp_server(status_as_text=True))
    assert {f.clause for f in meta.findings} == {"ITRP-JSONP-META"}
    assert "not the HTTP status as a number" in meta.findings[0].message
    wrap = _run(tmp_path, "jsonp.wrap", jsonp_server(status_as_text=True))
    assert wrap.outcome == "passed", wrap.findings


def test_well_formed_jsonp_passes_both_checks(tmp_path: Path) -> None:
    for name in ("jsonp.meta", "jsonp.wrap"):
        result = _run(tmp_path, name, jsonp_server(status_as_text=False))
        assert result.outcome == "passed", (name, result.findings, result.reason)


def test_the_old_ids_still_name_the_jsonp_checks(tmp_path: Path) -> None:
    for old, new in (("rules_a.jsonp-meta", "jsonp.meta"), ("rules_a.jsonp-wrap", "jsonp.wrap")):
        result = _run(tmp_path, old, jsonp_server(status_as_text=False))
        assert result.check == new
