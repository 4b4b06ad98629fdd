"""Evidence a partner reads: the pointer that broke and the header a finding is about are
marked, a cut body says so, and vendor content never leaves its block in Markdown or HTML."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from harness.findings import EVIDENCE_BODY_LIMIT, Evidence, Finding
from harness.reporting.evidence import (
    Line,
    body_lines,
    evidence_block,
    html_lines,
    md_code,
    md_fence,
    md_text,
    pointers_in,
)

BODY = json.dumps({"data": [{"id": 1, "name": "a"}, {"id": "13", "name": "b"}], "meta": {}})


def _finding(message: str, evidence: Evidence) -> Finding:
    return Finding(
        "itrp", "ITRP-X", "envelope.id-format", "ids are strings", message, evidence=(evidence,)
    )


def test_pointers_named_by_a_finding_are_found_and_urls_are_not() -> None:
    text = "GET https://h/v1/requests?x=1 answered /data/1/id = '13'; /meta: missing 'total'"
    assert pointers_in(text) == ["/data/1/id", "/meta"]


def test_the_lines_of_the_broken_pointer_are_marked() -> None:
    lines, note, used = body_lines(BODY, ["/data/1/id", "/v1/requests"])
    marked = [line.text.strip() for line in lines if line.marked]
    assert marked == ['"id": "13",']
    assert used == ("/data/1/id",)
    assert note == f"complete ({len(BODY):,} characters)"
    # a missing member is marked where it should have been: its parent
    lines, _, used = body_lines(BODY, ["/meta/total"])
    assert used == ("/meta",) and [line.text.strip() for line in lines if line.marked] == [
        '"meta": {}'
    ]


def test_a_cut_body_states_how_much_was_left_out() -> None:
    body = '{"data": [' + "1," * 10 + "... [52000 more characters]"
    lines, note, used = body_lines(body, ["/data/0"])
    assert used == () and not any(line.marked for line in lines)
    assert note == (
        f"cut at 30 characters (the evidence limit is {EVIDENCE_BODY_LIMIT:,}); "
        "52,000 more characters were not kept"
    )


def test_the_headers_a_finding_is_about_are_marked() -> None:
    evidence = Evidence(
        method="GET",
        url="https://h/v1/requests?page=6",
        status=200,
        request_headers=(("accept", "*/*"), ("authorization", "[REDACTED]")),
        response_headers=(
            ("link", '<https://h/v1/requests?page=7>; rel="next"'),
            ("X-RateLimit-Remaining", "10"),
            ("etag", '"abc"'),
        ),
        body_excerpt=BODY,
    )
    finding = _finding(
        "links rel=next to https://h/v1/requests?page=7, and X-RateLimit-Remaining is 10",
        evidence,
    )
    block = evidence_block(evidence, finding)
    assert block.request[0] == Line("GET https://h/v1/requests?page=6")
    marked = [line.text.split(":")[0] for line in block.response if line.marked]
    assert marked == ["link", "X-RateLimit-Remaining"]
    assert block.title == "GET https://h/v1/requests?page=6 answered 200"


HOSTILE = "```\n![pixel](https://evil.example/p.png)\n[click](https://evil.example)\n<img src=x>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _tags(html_text: str) -> list[str]:
    parser = _Tags()
    parser.feed(html_text)
    return parser.tags


def test_a_hostile_body_cannot_leave_its_markdown_fence() -> None:
    lines = [Line(text) for text in HOSTILE.splitlines()]
    rendered = MarkdownIt("commonmark").render(md_fence(lines) + "\n\nafter\n")
    assert _tags(rendered) == ["pre", "code", "p"]  # one code block, then the paragraph
    assert "![pixel](https://evil.example/p.png)" in rendered


def test_hostile_inline_text_renders_as_text() -> None:
    md = MarkdownIt("commonmark")
    for text in (HOSTILE, "`a` ``b``", "# heading | cell | *em* _em_ <b>x</b> &amp;"):
        for rendered in (md.render(md_text(text)), md.render("x " + md_code(text))):
            assert _tags(rendered) in (["p"], ["p", "code"]), rendered
    assert md.render(md_text(HOSTILE)).count("evil.example") == 2  # shown, not linked


def test_html_lines_escape_vendor_content() -> None:
    out = html_lines([Line("<script>alert(1)</script>", marked=True), Line("a & b")])
    assert out == "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>\na &amp; b"
