"""The update checks change the record the create check made (one POST per session where
no delete is documented), and create their own when that create failed; against a
scripted ITRP-like server (no sockets)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from harness.checks import TargetSession, get_check
from harness.engine import CheckResult, run_check
from tests.support.sessions import fake_session

JSON = {"content-type": "application/json; charset=utf-8"}


class Requests:
    """A /requests collection that creates, patches and puts; the first ``fail_first``
    creates answer 500."""

    def __init__(self, fail_first: int = 0) -> None:
        self.records: dict[int, dict[str, Any]] = {}
        self.sent: list[tuple[str, str]] = []
        self.fail_first = fail_first

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        path = request.url.path.removeprefix("/v1")
        if request.method == "POST" and path == "/requests":
            if self.fail_first > 0:
                self.fail_first -= 1
                return httpx.Response(500, headers=JSON, json={"message": "Internal Server Error"})
            body = json.loads(request.content)
            if not {"subject", "category"} <= set(body):
                return httpx.Response(422, headers=JSON, json={"message": "Validation Failed"})
            rid = len(self.records) + 1
            self.records[rid] = {"id": rid, **body, "status": "assigned"}
            return httpx.Response(201, headers=JSON, json=self.records[rid])
        if request.method in ("PATCH", "PUT") and path.startswith("/requests/"):
            record = self.records[int(path.rsplit("/", 1)[-1])]
            record.update(json.loads(request.content))
            return httpx.Response(200, headers=JSON, json=record)
        return httpx.Response(200, headers=JSON, json=[] if path != "/enums" else {})

    def posts(self) -> int:
        return sum(1 for method, _ in self.sent if method == "POST")

    def updated_ids(self) -> set[str]:
        return {p.rsplit("/", 1)[-1] for m, p in self.sent if m in ("PATCH", "PUT")}


def _writes(session: TargetSession) -> list[CheckResult]:
    """writes.create, then writes.patch-partial and writes.put-as-patch, in one session."""
    patch = next(o for o in session.profile.operations if o.method == "PATCH" and o.write)
    return [
        run_check(session, get_check("writes.create"), None),
        run_check(session, get_check("writes.patch-partial"), patch),
        run_check(session, get_check("writes.put-as-patch"), None),
    ]


def test_the_updates_change_the_record_the_create_check_made(tmp_path: Path) -> None:
    server = Requests()
    session = fake_session(tmp_path, "itrp", server, allow={"writes": True})
    try:
        results = _writes(session)
    finally:
        session.close()
    assert [r.outcome for r in results] == ["passed"] * 3, [r.findings for r in results]
    assert server.posts() == 2  # the create, and the incomplete create it must refuse
    assert server.updated_ids() == {"1"}
    assert "updated with PUT" in str(server.records[1].values())


def test_a_failed_create_leaves_the_updates_to_create_their_own_record(tmp_path: Path) -> None:
    server = Requests(fail_first=1)
    session = fake_session(tmp_path, "itrp", server, allow={"writes": True})
    try:
        results = _writes(session)
    finally:
        session.close()
    assert [r.outcome for r in results] == ["failed", "passed", "passed"]
    assert {f.clause for f in results[0].findings} == {"ITRP-HTTP-POST"}
    assert server.posts() == 2  # the failed create, then one record for both updates
    assert server.updated_ids() == {"1"}
