"""The documented ways of asking for JSON are equivalent: a plain GET, the same GET with
``Accept: <JSON type>`` and the path with the documented suffix (``/me.json``) all answer
the same status and the same JSON body."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import is_success, split_example
from harness.checks._registry import check
from harness.checks.representation._features import JSON_SUFFIX
from harness.client import Exchange


def _variants(
    ctx: CheckContext, path: str, query: dict[str, str] | None, suffix: str
) -> tuple[tuple[str, Exchange], ...]:
    """(label, answer) of the read asked for JSON by Accept, then by the suffix."""
    accept = ctx.profile.content_type
    return (
        (
            f"Accept: {accept}",
            ctx.client.request("GET", path, params=query, headers={"Accept": accept}),
        ),
        (f"the {suffix} suffix", ctx.client.request("GET", path + suffix, params=query)),
    )


@check(
    "representation.json-suffix",
    concern="vendor",
    requires=(JSON_SUFFIX,),
    health=True,
    aliases=("rules_a.json-suffix",),
)
def json_suffix(ctx: CheckContext) -> None:
    """A plain GET, the same GET with Accept: <JSON type> and the path with the documented
    suffix all answer the same JSON."""
    documented = ctx.feature(JSON_SUFFIX)
    suffix = documented.suffix
    example = documented.example_path or ctx.profile.main_operation.path
    path, params = split_example(example)
    path = path.removesuffix(suffix)
    if "{" in path:
        ctx.skip(f"the example path {example} needs an id")
    query = params or None
    plain = ctx.client.request("GET", path, params=query)
    if not is_success(plain) or plain.json() is None:
        ctx.skip(f"GET {path} answered {plain.status} without JSON: nothing to compare with")
    for label, exchange in _variants(ctx, path, query, suffix):
        if exchange.status != plain.status:
            ctx.finding(
                f"{label} changes the status",
                f"GET {path} answered {plain.status}, with {label} it answered {exchange.status}; "
                "the document calls the forms equivalent",
                plain,
                exchange,
            )
        elif exchange.json() is None:
            ctx.finding(
                f"{label} answers no JSON",
                f"GET {path} with {label} did not answer a JSON body",
                exchange,
            )
        elif exchange.json() != plain.json():
            ctx.finding(
                f"{label} changes the body",
                f"GET {path} with {label} answered a different JSON body than the plain request",
                plain,
                exchange,
            )
