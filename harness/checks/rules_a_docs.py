"""The observed record field set (checked leniently: public facts), and the machine-readable
API description (OpenAPI) with its interactive documentation page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from harness.checks._context import CheckContext
from harness.checks._registry import check
from harness.checks.rules_a import feature, requires, shown
from harness.checks.rules_a_data import main_records
from harness.client import Exchange
from harness.profiles import Profile

_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _fields_feature(profile: Profile) -> tuple[str, dict[str, Any]] | None:
    """The feature table that lists a record type's observed fields (``fields`` and
    ``nullable``)."""
    for name, table in profile.features.items():
        if isinstance(table.get("fields"), list) and isinstance(table.get("nullable"), list):
            return name, dict(table)
    return None


def _fields_applies(profile: Profile) -> str | None:
    if _fields_feature(profile) is None:
        return "the profile lists no observed record field set"
    return None


@check("rules_a.record-fields", concern="vendor", applies=_fields_applies)
def record_fields(ctx: CheckContext) -> None:
    """Main records carry the observed field set: listed fields are non-null unless
    nullable, display ids follow their pattern; strict mode also requires every field."""
    found = _fields_feature(ctx.profile)
    assert found is not None
    _, table = found
    fields = [str(f) for f in table["fields"]]
    nullable = {str(f) for f in table["nullable"]}
    patterns = {
        f: re.compile(str(v))
        for k, v in table.items()
        if k.endswith("_pattern") and isinstance(v, str)
        for f in fields
        if k.removesuffix("_pattern") in f
    }
    source = str(table.get("source") or "document")
    observed = (
        " (observed elsewhere, in PUBLIC-FACTS.md; not in the document)"
        if (source == "public-facts")
        else ""
    )
    problems: dict[str, tuple[list[str], Exchange]] = {}
    for where, record, exchange in main_records(ctx):
        if not isinstance(record, dict):
            continue
        found_here: list[str] = []
        missing = [f for f in fields if f not in record]
        if missing and (ctx.strict or source == "document"):
            found_here.append(f"{where} lacks {missing}")
        for name in fields:
            value = record.get(name)
            if name in record and value is None and name not in nullable:
                found_here.append(f"{where}/{name} is null")
            pattern = patterns.get(name)
            if (
                pattern
                and value is not None
                and not (isinstance(value, str) and pattern.match(value))
            ):
                found_here.append(f"{where}/{name} = {value!r} breaks {pattern.pattern}")
        if found_here:
            problems.setdefault(exchange.url, ([], exchange))[0].extend(found_here)
    for items, exchange in problems.values():
        ctx.finding("record fields differ from the observed set", shown(items) + observed, exchange)


def _spec_paths(spec: dict[str, Any], base_path: str) -> dict[str, set[str]]:
    """Documented path (placeholders blanked, base path removed) -> methods (upper case)."""
    out: dict[str, set[str]] = {}
    paths = spec.get("paths")
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        plain = str(path)
        if base_path and plain.startswith(base_path + "/"):
            plain = plain[len(base_path) :]
        key = _PLACEHOLDER.sub("{}", plain.rstrip("/") or "/")
        out.setdefault(key, set()).update(m.upper() for m in item if isinstance(m, str))
    return out


@check("rules_a.openapi", concern="vendor", applies=requires("openapi"))
def openapi(ctx: CheckContext) -> None:
    """The OpenAPI description is served as JSON where documented and describes the
    documented operations; the interactive documentation page is served too."""
    f = feature(ctx.profile, "openapi")
    path = str(f.get("spec_path") or "/openapi.json")
    served = ctx.client.request("GET", path)
    spec = served.json()
    media = served.headers.get("content-type", "").split(";")[0].strip().lower()
    if served.status != 200 or not isinstance(spec, dict):
        ctx.finding(
            "no OpenAPI document",
            f"GET {path} answered {served.status} without a JSON object",
            served,
        )
        return
    if media != "application/json" and not media.endswith("+json"):
        ctx.finding("OpenAPI document not labelled JSON", f"Content-Type is {media!r}", served)
    schema = f.get("spec_schema")
    violations = ctx.validate(str(schema), spec) if schema else []
    if violations:
        ctx.finding("OpenAPI document malformed", shown([str(v) for v in violations]), served)
        return
    described = _spec_paths(spec, urlsplit(ctx.target.base_url).path.rstrip("/"))
    absent = [
        f"{op.method} {op.path}"
        for op in ctx.profile.operations
        if (ctx.strict or op.source != "assumed")
        and op.method not in described.get(_PLACEHOLDER.sub("{}", op.path), set())
    ]
    if absent:
        ctx.finding(
            "OpenAPI document lacks documented operations",
            "not described: " + shown(absent),
            served,
        )
    docs = f.get("docs_path_from_host")
    if docs:
        page = ctx.client.request("GET", ctx.target.origin + str(docs))
        wanted = str(f.get("docs_content_type") or "text/html")
        kind = page.headers.get("content-type", "").split(";")[0].strip().lower()
        if page.status != 200 or kind != wanted:
            ctx.finding(
                "interactive documentation not served",
                f"GET {docs} answered {page.status} with Content-Type {kind!r} "
                f"instead of 200 {wanted}",
                page,
            )
