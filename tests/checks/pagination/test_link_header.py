"""The Link header checks' reading of RFC 8288 headers (harness.checks._weblinks), and
relative URLs against a hand-made ITRP-like server."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.checks._weblinks import is_absolute, parse_link_header, query_value, relations
from tests.checks.pagination._servers import clauses_found, itrp_like


def test_a_link_header_parses_into_relations_and_absolute_urls() -> None:
    header = (
        '<https://api.test/v1/requests?page=1&per_page=20>; rel="first", '
        '<https://api.test/v1/requests?page=3&per_page=20>; rel="next", '
        "<https://api.test/v1/requests?page=9&per_page=20>; rel=last"
    )
    links, errors = parse_link_header(header)
    assert errors == []
    rels = relations(links)
    assert set(rels) == {"first", "next", "last"}
    assert query_value(rels["next"], "page") == "3"
    assert all(is_absolute(link.url) for link in links)


def test_a_link_header_with_several_relation_types_and_quoted_commas_parses() -> None:
    links, errors = parse_link_header('<https://a.test/x>; rel="prev first"; title="a, b"')
    assert errors == []
    assert links[0].rels == ("prev", "first")
    assert links[0].params["title"] == "a, b"


@pytest.mark.parametrize(
    "header",
    [
        'https://a.test/x; rel="next"',  # no angle brackets
        '<https://a.test/x> rel="next"',  # no semicolon
        '<https://a.test/x>; rel="next',  # unterminated quote
        "<https://a.test/x; rel=next",  # unterminated URL
    ],
)
def test_a_malformed_link_header_reports_a_syntax_error(header: str) -> None:
    _, errors = parse_link_header(header)
    assert errors


def test_a_relative_link_url_is_not_absolute() -> None:
    links, errors = parse_link_header('</v1/requests?page=2>; rel="next"')
    assert errors == [] and not is_absolute(links[0].url)


def test_relative_link_urls_break_the_absolute_url_clause_only(tmp_path: Path) -> None:
    handler = itrp_like(relative=True)
    assert clauses_found(tmp_path, handler, "pagination.link-syntax") == {"ITRP-PAGE-ABSOLUTE"}
    assert clauses_found(tmp_path, handler, "pagination.link-relations") == set()
