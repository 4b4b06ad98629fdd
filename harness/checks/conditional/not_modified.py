"""Conditional GET: a read carries an entity tag, and the same read repeating that tag in
a documented request header is answered 304 Not Modified without a body.

Where the document's example sends the tag in another header than the standard
If-None-Match (an ambiguity of the linked clause), lenient mode accepts either header and
strict mode only the one of the strict reading.
"""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import split_example
from harness.checks._registry import check
from harness.checks.conditional._features import ETAG
from harness.client import Exchange


def _reading_headers(ctx: CheckContext, headers: list[str]) -> list[str]:
    """The request headers to try: every documented one, or in strict mode only the one
    named by the strict reading of the linked ambiguous clause."""
    if not ctx.strict:
        return headers
    for clause in ctx.clauses:
        if clause.ambiguity:
            strict = clause.ambiguity.strict.lower()
            kept = [h for h in headers if strict.startswith(h.lower())]
            if kept:
                return kept
    return headers[:1]


@check(
    "conditional.not-modified",
    concern="vendor",
    requires=(ETAG,),
    aliases=("rules_a.conditional-get",),
)
def not_modified(ctx: CheckContext) -> None:
    """A GET repeating the entity tag of the current representation answers 304 without
    a body."""
    tags = ctx.feature(ETAG)
    path, params = split_example(tags.example_path or ctx.profile.main_operation.path)
    if "{" in path:
        ctx.skip(f"the example path {path} needs an id")
    tag_header = tags.response_header
    not_modified = tags.status
    first = ctx.client.request("GET", path, params=params or None)
    if first.status != 200:
        ctx.skip(f"GET {path} answered {first.status}: no representation to revalidate")
    tag = first.headers.get(tag_header)
    if not tag:
        ctx.finding(
            f"no {tag_header} header",
            f"GET {path} carries no {tag_header}, so no request can repeat its entity tag",
            first,
        )
        return
    tried: list[Exchange] = []
    headers = _reading_headers(ctx, list(tags.request_headers))
    for name in headers:
        again = ctx.client.request("GET", path, params=params or None, headers={name: tag})
        tried.append(again)
        if again.status == not_modified:
            if again.content.strip():
                ctx.finding(
                    f"{not_modified} with a body",
                    f"GET {path} with {name}: {tag} answered {not_modified} with "
                    f"{len(again.content)} body bytes; Not Modified has no body",
                    again,
                )
            return
    sent = " or ".join(headers)
    statuses = ", ".join(str(x.status) for x in tried)
    ctx.finding(
        f"entity tag not honoured ({statuses})",
        f"GET {path} repeating its {tag_header} {tag} in {sent} answered {statuses} "
        f"instead of {not_modified} Not Modified",
        first,
        *tried,
    )
