"""Fuzz helpers without sockets: what each generated value is judged to be, which clause a
refusal is about, deterministic generation, the $ref bundler, and the fuzz checks against
small scripted servers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from harness.catalog import load_clauses
from harness.checks import CheckContext, get_check
from harness.checks.fuzz_bundle import bundle, strategy
from harness.checks.fuzz_judge import pick_by_name
from harness.checks.fuzz_params import all_param_names, combine, op_params
from harness.checks.fuzz_run import collect, probes
from harness.checks.fuzz_writes import write_bodies_for
from harness.engine import CheckResult, open_session, run_check
from harness.profiles import load_profile
from harness.targets import load_target
from harness.validation import SchemaStore

CREDENTIALS = {
    "itrp": 'api_token = "token-123"',
    "toptickets": 'api_key = "tt_admin_0123456789"',
    "trackops": 'username = "sam"\napi_token = "t-1"',
}
Handler = Callable[[httpx.Request], httpx.Response]
JSON = {"content-type": "application/json; charset=utf-8"}


def _target(tmp_path: Path, vendor: str, strict: bool = False) -> Path:
    path = tmp_path / f"{vendor}.toml"
    path.write_text(
        f'vendor = "{vendor}"\nbase_url = "https://{vendor}.test/v1"\nmode = "emulator"\n'
        + ("strict = true\n" if strict else "")
        + f"[credentials]\n{CREDENTIALS[vendor]}\n",
        encoding="utf-8",
    )
    return path


def _refuse_all(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected: {request.url}")


@contextmanager
def _context(
    tmp_path: Path, vendor: str, check: str, strict: bool = False, handler: Handler = _refuse_all
) -> Iterator[CheckContext]:
    target = load_target(_target(tmp_path, vendor, strict), environ={})
    session = open_session(target, transport=httpx.MockTransport(handler))
    try:
        yield CheckContext(session=session, check=check)
    finally:
        session.client.close()


# ---------------------------------------------------------------- judging values
def test_paging_values_outside_the_documented_domain_are_invalid(tmp_path: Path) -> None:
    with _context(tmp_path, "toptickets", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("tickets.list"))
        assert combine(ctx, params, {"limit": 500, "offset": 0}).expect == "valid"
        for values in ({"limit": 0}, {"limit": "abc"}, {"offset": "-1"}, {"limit": "1.5"}):
            verdict = combine(ctx, params, values)
            assert verdict.expect == "invalid", values
            assert verdict.about == tuple(values)
        oversize = combine(ctx, params, {"limit": 501})
        assert oversize.expect == "any"  # the document does not say what happens above 500
        assert "maximum 500" in oversize.why


def test_enum_filters_accept_documented_values_and_refuse_others(tmp_path: Path) -> None:
    with _context(tmp_path, "toptickets", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("tickets.list"))
        assert combine(ctx, params, {"status": "open", "priority": "urgent"}).expect == "valid"
        verdict = combine(ctx, params, {"status": "harness-not-a-status"})
        assert (verdict.expect, verdict.kinds) == ("invalid", ("enum",))
        assert combine(ctx, params, {"search": "any text at all"}).expect == "valid"


def test_repeated_values_and_unknown_names_are_left_to_the_server(tmp_path: Path) -> None:
    with _context(tmp_path, "toptickets", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("tickets.list"))
        assert combine(ctx, params, {"limit": ["1", "2"]}).expect == "any"
        assert combine(ctx, params, {"no_such_name": "1"}).expect == "any"


def test_unknown_names_are_invalid_only_in_the_strict_reading(tmp_path: Path) -> None:
    values = {"no_such_filter_trk": "1"}
    with _context(tmp_path, "trackops", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("clients.list"))
        assert combine(ctx, params, values).expect == "any"
    with _context(tmp_path, "trackops", "fuzz.invalid-refused", strict=True) as ctx:
        assert combine(ctx, params, values).expect == "invalid"


def test_a_refusal_is_blamed_on_the_clause_naming_the_parameter() -> None:
    profile = load_profile("toptickets")
    pool = [c for c in load_clauses("toptickets") if "fuzz.invalid-refused" in c.checks]
    names = all_param_names(profile)
    found = {n: pick_by_name(pool, n, names) for n in ("status", "priority", "limit", "offset")}
    assert {n: c.id for n, c in found.items() if c} == {
        "status": "TOP-DATA-ENUM-422",
        "priority": "TOP-DATA-ENUM-422",
        "limit": "TOP-ERR-BAD-PARAM",
        "offset": "TOP-ERR-BAD-PARAM",
    }
    itrp = [c for c in load_clauses("itrp") if "fuzz.invalid-refused" in c.checks]
    itrp_names = all_param_names(load_profile("itrp"))
    assert pick_by_name(itrp, "per_page", itrp_names).id == "ITRP-PAGE-BAD-SIZE"  # type: ignore[union-attr]
    assert pick_by_name(itrp, "page", itrp_names) is None  # no ITRP clause is about page


# ---------------------------------------------------------------- generation
def test_generation_is_deterministic_and_bounded(tmp_path: Path) -> None:
    with _context(tmp_path, "toptickets", "fuzz.documented-status") as ctx:
        op = ctx.profile.operation("tickets.list")
        params = op_params(ctx, op)
        first = probes(ctx, op, params, {}, 25)
        second = probes(ctx, op, params, {}, 25)
    assert first == second
    assert len(first) == 25
    assert len({json.dumps(p, sort_keys=True) for p in first}) == 25
    assert {"limit": 0} in first and {"status": "harness-not-a-status"} in first


# ---------------------------------------------------------------- the bundler
def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield str(value)
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _record_schemas() -> list[tuple[str, str]]:
    found = []
    for vendor in ("itrp", "toptickets", "trackops", "turitop", "turris"):
        profile = load_profile(vendor)
        files = {op.item_schema for op in profile.operations if op.item_schema}
        files |= {file for _, file in write_bodies_for(profile)}
        found += [(vendor, file) for file in sorted(files)]
    return found


@pytest.mark.parametrize(("vendor", "file"), _record_schemas())
def test_the_bundler_resolves_every_cross_file_reference_for_hypothesis_jsonschema(
    store: SchemaStore, vendor: str, file: str
) -> None:
    sid = load_profile(vendor).schema_id(file)
    bundled = bundle(store, sid)
    assert all(ref.startswith("#/$defs/") for ref in _refs(bundled))
    assert "$id" not in json.dumps(bundled)
    values = collect(strategy(store, sid), 3)
    assert values
    for value in values:
        assert store.validate(sid, value) == [], value


# ---------------------------------------------------------------- scripted servers
def _run(tmp_path: Path, vendor: str, check: str, op_id: str, handler: Handler) -> CheckResult:
    target = load_target(_target(tmp_path, vendor), environ={})
    session = open_session(target, transport=httpx.MockTransport(handler))
    session.cache["max_examples"] = 12
    try:
        return run_check(session, get_check(check), session.profile.operation(op_id))
    finally:
        session.client.close()


def _per_page_ignored(request: httpx.Request) -> httpx.Response:
    """An ITRP collection that serves any per_page (also 0 and -1), and refuses bad pages."""
    page = request.url.params.get("page", "1")
    if not page.lstrip("-").isdigit() or int(page) < 1:
        return httpx.Response(400, headers=JSON, json={"message": "Parameter 'page' is bad"})
    return httpx.Response(200, headers=JSON, json=[{"id": 1, "subject": "x"}])


def test_a_per_page_below_one_that_is_served_is_reported_on_its_clause(tmp_path: Path) -> None:
    result = _run(tmp_path, "itrp", "fuzz.invalid-refused", "requests.list", _per_page_ignored)
    assert {f.clause for f in result.findings} == {"ITRP-PAGE-BAD-SIZE"}
    assert "per_page=0" in result.findings[0].message
    assert "should be refused with 400" in result.findings[0].message


def _server_error_on_big_pages(request: httpx.Request) -> httpx.Response:
    limit = request.url.params.get("limit", "100")
    if limit.isdigit() and int(limit) > 400:
        return httpx.Response(500, headers=JSON, json={"detail": "Internal Server Error"})
    if limit.isdigit() and int(limit) >= 1:
        return httpx.Response(200, headers=JSON, json=[])
    return httpx.Response(422, headers=JSON, json={"detail": "limit is not valid"})


def test_a_server_error_on_a_valid_page_size_breaks_the_status_set(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "toptickets",
        "fuzz.documented-status",
        "customers.list",
        _server_error_on_big_pages,
    )
    assert {f.clause for f in result.findings} == {"TOP-ERR-STATUS-SET"}
    assert "server error 500" in result.findings[0].title
    assert result.findings[0].evidence[0].status == 500
