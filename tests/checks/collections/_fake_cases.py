"""A fake case-management API (``httpx.MockTransport`` handler) with switchable bugs, and
helpers to run one check against it."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx

from harness.checks import TargetSession, get_check
from harness.engine import CheckResult, run_check

Handler = Callable[[httpx.Request], httpx.Response]


def run(session: TargetSession, name: str) -> CheckResult:
    """The check's first planned run (its first operation, for per-operation checks)."""
    spec = get_check(name)
    op = spec.operations(session.profile)[0]
    return run_check(session, spec, op)


def clauses(result: CheckResult) -> set[str]:
    return {f.clause for f in result.findings}


def _stamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DAY = 86400.0
START = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
CLIENTS: list[dict[str, Any]] = [
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
    """Every collection (/clients, /cases, /users, /expense/entries: all the same records)
    and each record under its collection (/clients/{id}, /expense/entries/{id})."""

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
        if path.startswith("/cases/"):
            return httpx.Response(200, json=_render(CLIENTS[-1]))
        if path.rsplit("/", 1)[1].isdigit():  # one record: /clients/{id}, /expense/entries/{id}
            rid = int(path.rsplit("/", 1)[1])
            rec = next((r for r in CLIENTS if r["id"] == rid), None)
            if rec is None or bugs.get("get_404"):
                return httpx.Response(404, json={"error": "not found"})
            return httpx.Response(200, json=_render(rec))
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
