"""Vendor rules about how a read is asked for: the .json suffix and Accept, ``fields=``
attribute selection, and conditional GETs answered with 304."""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of
from harness.checks._registry import check
from harness.checks.rules_a import (
    feature,
    is_success,
    loosely,
    requires,
    shown,
    split_example,
)
from harness.client import Exchange


@check("rules_a.json-suffix", concern="vendor", applies=requires("json_suffix"), health=True)
def json_suffix(ctx: CheckContext) -> None:
    """A plain GET, the same GET with Accept: <JSON type> and the path with the documented
    suffix all answer the same JSON."""
    f = feature(ctx.profile, "json_suffix")
    suffix = str(f.get("suffix") or ".json")
    example = str(f.get("example_path") or ctx.profile.main_operation.path)
    path, params = split_example(example)
    path = path.removesuffix(suffix)
    if "{" in path:
        ctx.skip(f"the example path {example} needs an id")
    query = params or None
    plain = ctx.client.request("GET", path, params=query)
    if not is_success(plain) or plain.json() is None:
        ctx.skip(f"GET {path} answered {plain.status} without JSON: nothing to compare with")
    variants = (
        (
            f"Accept: {ctx.profile.content_type}",
            ctx.client.request(
                "GET", path, params=query, headers={"Accept": ctx.profile.content_type}
            ),
        ),
        (f"the {suffix} suffix", ctx.client.request("GET", path + suffix, params=query)),
    )
    for label, exchange in variants:
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


def _pick_field(records: list[Any], example: str, always: set[str]) -> str | None:
    """The documented example attribute when the records carry it, else their first
    plain attribute that is not always included."""
    first = next((r for r in records if isinstance(r, dict)), None)
    if first is None:
        return None
    if any(isinstance(r, dict) and example in r for r in records):
        return example
    for key, value in first.items():
        if key not in always and not isinstance(value, dict | list):
            return str(key)
    return None


@check("rules_a.fields", concern="vendor", applies=requires("fields"))
def fields(ctx: CheckContext) -> None:
    """The fields parameter keeps only the named attributes of each record, and the id."""
    f = feature(ctx.profile, "fields")
    param = str(f.get("param") or "fields")
    always = {str(a) for a in f.get("always_included", ["id"])}
    op = ctx.profile.main_operation
    full = call(ctx, op)  # fresh: compared with the selection that follows
    records = items_of(ctx, full.json()) if is_success(full) else None
    if not records:
        ctx.skip(f"{op.path} returned no records to select attributes from")
    name = _pick_field(records, str(f.get("example") or "name"), always)
    if name is None:
        ctx.skip(f"the records of {op.path} have no plain attribute to select")
    picked = call(ctx, op, params={param: name})
    chosen = items_of(ctx, picked.json()) if is_success(picked) else None
    if chosen is None:
        ctx.finding(
            f"{param}={name} refused",
            f"GET {op.path}?{param}={name} answered {picked.status} without a list of records",
            picked,
        )
        return
    by_id = {str(r.get("id")): r for r in records if isinstance(r, dict)}
    problems: list[str] = []
    for index, record in enumerate(chosen):
        if not isinstance(record, dict):
            problems.append(f"/{index} is not an object")
            continue
        extra = sorted(set(record) - always - {name})
        missing = sorted(always - set(record))
        if extra:
            problems.append(f"/{index} keeps unrequested attributes {extra}")
        if missing:
            problems.append(f"/{index} lost {missing}, which is always kept")
        before = by_id.get(str(record.get("id")))
        if (
            before is not None
            and name in before
            and loosely(record.get(name)) != loosely(before[name])
        ):
            problems.append(f"/{index} {name} differs from the unselected record")
    if problems:
        ctx.finding(
            f"{param}={name} does not select attributes",
            f"GET {op.path}?{param}={name}: " + shown(problems),
            picked,
        )


def _reading_headers(ctx: CheckContext, headers: list[str]) -> list[str]:
    """The request headers to try: every documented one, or in strict mode only the one
    of the strict reading of the linked ambiguous clause."""
    if not ctx.strict:
        return headers
    for clause in ctx.clauses:
        if clause.ambiguity:
            strict = clause.ambiguity.strict.lower()
            kept = [h for h in headers if strict.startswith(h.lower())]
            if kept:
                return kept
    return headers[:1]


@check("rules_a.conditional-get", concern="vendor", applies=requires("etag"))
def conditional_get(ctx: CheckContext) -> None:
    """A GET repeating the entity tag of the current representation answers 304 without
    a body."""
    f = feature(ctx.profile, "etag")
    path, params = split_example(str(f.get("example_path") or ctx.profile.main_operation.path))
    if "{" in path:
        ctx.skip(f"the example path {path} needs an id")
    tag_header = str(f.get("response_header") or "ETag")
    not_modified = int(f.get("status") or 304)
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
    documented = [str(h) for h in f.get("request_headers", ["If-None-Match"])]
    for name in _reading_headers(ctx, documented):
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
    sent = " or ".join(f"{h}" for h in _reading_headers(ctx, documented))
    statuses = ", ".join(str(x.status) for x in tried)
    ctx.finding(
        f"entity tag not honoured ({statuses})",
        f"GET {path} repeating its {tag_header} {tag} in {sent} answered {statuses} "
        f"instead of {not_modified} Not Modified",
        first,
        *tried,
    )
