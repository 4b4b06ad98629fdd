"""Generated write bodies against the emulator: created and deleted again, out-of-set enum
values refused."""

from __future__ import annotations

from harness.emulators._server import TLSFiles
from tests.checks.fuzz._sessions import emulated, run


def test_write_bodies_are_created_and_deleted_again(tls: TLSFiles) -> None:
    with emulated(tls, "toptickets") as session:
        result = run(session, "fuzz.write-bodies")
    assert result.outcome == "passed", result.findings or result.reason
    created = [x for x in result.exchanges if x.method == "POST" and x.status == 201]
    deleted = [x for x in result.exchanges if x.method == "DELETE" and x.status == 204]
    refused = [x for x in result.exchanges if x.status == 422]
    assert created and len(deleted) == len(created)
    assert refused
