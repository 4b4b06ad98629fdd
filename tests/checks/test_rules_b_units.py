"""The rules_b checks judge behaviour no emulator fault covers: exercised without sockets
against small fake vendors (httpx.MockTransport), plus their parsing helpers."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import tomli_w

from harness.catalog import load_catalog
from harness.checks import CheckContext, TargetSession, get_check
from harness.checks.rules_b import clause_about, records_of, walk
from harness.checks.rules_b_collections import instant
from harness.client import HarnessClient
from harness.emulators import vendor_module
from harness.engine import CheckResult, run_check
from harness.profiles import load_profile
from harness.targets import load_target
from harness.validation import default_store

Handler = Callable[[httpx.Request], httpx.Response]


def _session(tmp_path: Path, vendor: str, handler: Handler, strict: bool = False) -> TargetSession:
    data = {
        "vendor": vendor,
        "base_url": "https://vendor.test" + urlsplit(load_profile(vendor).base_url).path,
        "mode": "emulator",
        "strict": strict,
        "credentials": vendor_module(vendor).credentials(),
        "allow": {"writes": False, "exhaustion": False, "clock_control": False},
    }
    path = tmp_path / f"{vendor}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    target = load_target(path, environ={})
    links: dict[str, list[Any]] = {}
    for clause in load_catalog((vendor,)).for_vendor(vendor):
        for name in clause.checks:
            links.setdefault(name, []).append(clause)
    client = HarnessClient(target, transport=httpx.MockTransport(handler), throttle=False)
    return TargetSession(target, client, default_store(), {k: tuple(v) for k, v in links.items()})


def _run(session: TargetSession, name: str) -> CheckResult:
    spec = get_check(name)
    op = spec.operations(session.profile)[0]
    return run_check(session, spec, op)


def _clauses(result: CheckResult) -> set[str]:
    return {f.clause for f in result.findings}


# ---------------------------------------------------------------- a fake case-management API


def _stamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DAY = 86400.0
START = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
CLIENTS = [
    {
        "id": 100 + i,
        "name": f"Client {i}",
        "User": {"id": 1 + i % 5, "name": "Sam"},
        "_created": START + i * DAY,
        "_updated": START + i * DAY + 3600,
    }
    for i in range(150)
]


def _render(rec: dict[str, Any], lower_user: bool = False) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if not k.startswith("_")}
    if lower_user:
        out["user"] = out.pop("User")
    out["created"], out["updated"] = _stamp(rec["_created"]), _stamp(rec["_updated"])
    return out


def fake_cases_api(**bugs: bool) -> Handler:
    """Collections /clients /cases /users /expenses (all the same records) and /clients/{id}."""

    def bound(value: str, end: bool) -> float:
        moment = datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()
        return moment + DAY if end and len(value) == 10 else moment

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        raw = request.url.query.decode()
        query = dict(parse_qsl(raw))
        if bugs.get("reject_encoded") and "%3A" in raw:
            return httpx.Response(400, json={"error": "bad value"})
        if bugs.get("no_users") and path == "/users":
            return httpx.Response(404, json={"error": "not found"})
        if path.startswith("/clients/"):
            rid = int(path.rsplit("/", 1)[1])
            rec = next((r for r in CLIENTS if r["id"] == rid), None)
            if rec is None or bugs.get("get_404"):
                return httpx.Response(404, json={"error": "not found"})
            return httpx.Response(200, json=_render(rec))
        if path.startswith("/cases/"):
            return httpx.Response(200, json=_render(CLIENTS[-1]))
        found = list(reversed(CLIENTS))
        for name, field in (("from", "_created"), ("updated_from", "_updated")):
            if name in query and not bugs.get("ignore_filters"):
                found = [r for r in found if r[field] >= bound(query[name], False)]
        for name, field in (("to", "_created"), ("updated_to", "_updated")):
            if name in query and not bugs.get("ignore_filters"):
                found = [r for r in found if r[field] < bound(query[name], True)]
        size = int(query.get("per_page", 100))
        if query.get("mode") == "count":
            total = len(found) + (7 if bugs.get("count_off") else 0)
            return httpx.Response(
                200, json={"record_count": total, "page_count": math.ceil(total / size)}
            )
        page = int(query.get("page", 1))
        rows = found[(page - 1) * size : page * size]
        lower = bugs.get("lower_user", False)
        return httpx.Response(200, json=[_render(r, lower) for r in rows])

    return handler


def test_the_collection_checks_find_nothing_on_a_well_behaved_fake(tmp_path: Path) -> None:
    session = _session(tmp_path, "trackops", fake_cases_api())
    for name in (
        "rules_b.mode-count",
        "rules_b.date-filters",
        "rules_b.url-encoded",
        "rules_b.nested-related",
        "rules_b.resources",
        "rules_b.timestamps",
    ):
        result = _run(session, name)
        assert result.outcome == "passed", (name, result.reason, result.findings)


def test_a_record_count_that_disagrees_with_the_pages_is_found(tmp_path: Path) -> None:
    result = _run(
        _session(tmp_path, "trackops", fake_cases_api(count_off=True)), "rules_b.mode-count"
    )
    assert _clauses(result) == {"TRK-PF-MODE-COUNT"}
    assert "public fact" in result.findings[0].message


def test_ignored_date_filters_are_blamed_on_each_filter_clause(tmp_path: Path) -> None:
    result = _run(
        _session(tmp_path, "trackops", fake_cases_api(ignore_filters=True)), "rules_b.date-filters"
    )
    assert _clauses(result) == {"TRK-PF-FILTER-CREATED", "TRK-PF-FILTER-UPDATED"}
    by_clause = {f.clause: f.title for f in result.findings}
    assert "created" in by_clause["TRK-PF-FILTER-CREATED"]
    assert "updated" in by_clause["TRK-PF-FILTER-UPDATED"]


def test_an_encoded_colon_answered_400_is_found(tmp_path: Path) -> None:
    result = _run(
        _session(tmp_path, "trackops", fake_cases_api(reject_encoded=True)), "rules_b.url-encoded"
    )
    assert _clauses(result) == {"TRK-SEARCH-URL-ENCODED"}
    sent = result.exchanges[0].url
    assert "%20" in sent and "%3A" in sent


def test_related_records_under_lower_case_keys_are_found_only_in_strict_mode(
    tmp_path: Path,
) -> None:
    lenient = _run(
        _session(tmp_path, "trackops", fake_cases_api(lower_user=True)), "rules_b.nested-related"
    )
    strict = _run(
        _session(tmp_path, "trackops", fake_cases_api(lower_user=True), strict=True),
        "rules_b.nested-related",
    )
    assert lenient.outcome == "passed"
    assert _clauses(strict) == {"TRK-PF-NESTED-RELATED"}


def test_a_missing_collection_and_an_unfetchable_record_are_found(tmp_path: Path) -> None:
    result = _run(
        _session(tmp_path, "trackops", fake_cases_api(no_users=True, get_404=True)),
        "rules_b.resources",
    )
    titles = " | ".join(f.title for f in result.findings)
    assert _clauses(result) == {"TRK-PF-RESOURCES"}
    assert "/users" in titles and "/clients/{id}" in titles


# ---------------------------------------------------------------- a fake booking API


def fake_booking_api(products: Any) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1")
        envelope = {"status": "SUCCESS", "code": "200", "message": "", "details": None}
        if path == "/authorization/grant":
            tokens = {"access_token": "tok", "refresh_token": "ref"}
            return httpx.Response(200, json={**envelope, "data": tokens})
        if path == "/product/getproducts":
            return httpx.Response(200, json={**envelope, "data": products})
        return httpx.Response(404, json={**envelope, "status": "ERROR", "code": "404"})

    return handler


def test_a_product_list_without_data_products_is_blamed_on_the_products_clause(
    tmp_path: Path,
) -> None:
    items = [{"short_id": "P1", "name": "Tour", "disabled": False}]
    session = _session(tmp_path, "turitop", fake_booking_api({"items": items}))
    spec = get_check("rules_b.record-fields")
    op = session.profile.operation("products.list")
    result = run_check(session, spec, op)
    assert _clauses(result) == {"TURI-DATA-PRODUCTS"}


def test_a_product_with_a_textual_disabled_flag_is_found(tmp_path: Path) -> None:
    items = [{"short_id": "P1", "name": "Tour", "disabled": "no"}]
    session = _session(tmp_path, "turitop", fake_booking_api({"products": items}))
    result = run_check(
        session, get_check("rules_b.record-fields"), session.profile.operation("products.list")
    )
    assert _clauses(result) == {"TURI-DATA-PRODUCTS"}
    assert "/data/products/0/disabled" in result.findings[0].message


# ---------------------------------------------------------------- helpers


def test_instant_reads_z_offsets_and_naive_times_as_the_same_utc_instant() -> None:
    assert instant("2024-01-01T00:00:00Z") == instant("2024-01-01T02:00:00+02:00")
    assert instant("2024-01-01T00:00:00") == instant("2024-01-01T00:00:00Z")
    assert instant("yesterday") is None
    assert instant(1700000000) is None


def test_walk_yields_every_member_with_its_pointer() -> None:
    found = list(walk({"data": [{"agencyId": "a"}, {"agencyId": "b"}]}))
    assert ("/data/1/agencyId", "agencyId", "b") in found


def test_clause_about_tells_a_header_from_its_prefixed_alternative(tmp_path: Path) -> None:
    session = _session(tmp_path, "turris", fake_booking_api({}))
    catalog = {c.id: c for c in load_catalog(("turris",)).for_vendor("turris")}
    session.clauses["probe"] = (catalog["TRS-IDEM-REPLAY"], catalog["TRS-IDEM-WINDOW"])
    ctx = CheckContext(session=session, check="probe")
    assert clause_about(ctx, "x-idempotency-key") is None
    assert clause_about(ctx, "one hour") == "TRS-IDEM-WINDOW"


def test_records_are_found_under_the_resource_name_or_the_items_pointer(tmp_path: Path) -> None:
    session = _session(tmp_path, "turitop", fake_booking_api({}))
    ctx = CheckContext(session=session, check="probe")
    products = session.profile.operation("products.list")
    bookings = session.profile.operation("bookings.list")
    assert records_of(ctx, products, {"data": {"products": [1]}}) == ("/data/products", [1])
    assert records_of(ctx, bookings, {"data": {"bookings": [2]}}) == ("/data/bookings", [2])
    assert records_of(ctx, products, {"data": {}}) is None


@pytest.mark.parametrize("strict", [False, True])
def test_a_wall_clock_mirror_without_offset_passes_only_leniently(
    strict: bool, tmp_path: Path
) -> None:
    from harness.checks.rules_b_records import _mismatch

    session = _session(tmp_path, "turitop", fake_booking_api({}), strict=strict)
    ctx = CheckContext(session=session, check="rules_b.date-mirror")
    seconds = int(datetime(2024, 7, 13, 15, tzinfo=UTC).timestamp())
    assert _mismatch(ctx, seconds, "2024-07-13T15:00:00Z") is None
    assert _mismatch(ctx, seconds, "2024-07-13T16:00:00Z") is not None
    assert (_mismatch(ctx, seconds, "2024-07-13T17:00:00") is None) is not strict


def test_the_fake_api_serves_json() -> None:
    response = fake_cases_api()(httpx.Request("GET", "https://vendor.test/api/v1/clients"))
    assert len(json.loads(response.content)) == 100
