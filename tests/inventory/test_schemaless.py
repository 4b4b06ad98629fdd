"""An endpoint with no known record schema is still checked for every convention, and an
endpoint a target excludes is never requested.

Each vendor's target file declares two operations of its own, one list and one object,
without a schema: the same endpoints as two default operations, under new ids. They must
get every per-operation check the defaults get (record-schema checks aside), and the
emulator must give them the same outcomes.
"""

from __future__ import annotations

import re
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import tomli_w

from harness._resources import vendor_names
from harness.checks import routing_for
from harness.emulators import RunningEmulator
from harness.engine import Engine, plan_target
from harness.profiles import Operation, Profile, load_profile
from harness.targets import Target, load_target
from tests.support.all_emulators import running_emulators

VENDORS = vendor_names()
RECORD_CHECKS = {"records.item-schema"}  # about the records' own fields: need their schema


def _reads(profile: Profile, kind: str) -> list[Operation]:
    return [op for op in profile.operations if op.reads and op.kind == kind and op.schema]


def _list_op(profile: Profile) -> Operation:
    found = _reads(profile, "list")
    return next((op for op in found if op.paged), found[0])


def _object_op(profile: Profile) -> Operation:
    found = _reads(profile, "object")
    return next((op for op in found if "{" in op.path), found[0])


def _copy(op: Operation, new_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": new_id, "method": op.method, "path": op.path, "kind": op.kind}
    if op.paged:
        entry["paged"] = True
    if op.body:
        entry["body"] = dict(op.body)
    return entry


@pytest.fixture(scope="module")
def emulators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningEmulator]]:
    with running_emulators(VENDORS, tmp_path_factory.mktemp("tls")) as running:
        yield running


def _target(emu: RunningEmulator, folder: Path, **extra: Any) -> Target:
    path = emu.write_target(folder / f"{emu.vendor}.toml")
    data = {**emu.target_data(), **extra}
    data["allow"] = {**data["allow"], "exhaustion": False}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return load_target(path, environ={})


def _checks_on(target: Target, op_id: str) -> set[str]:
    plan = plan_target(target)
    return {c.spec.name for c in plan.checks if c.operation and c.operation.id == op_id}


@pytest.mark.parametrize("vendor", VENDORS)
def test_operations_without_a_record_schema_get_every_convention_check(
    vendor: str, emulators: dict[str, RunningEmulator], tmp_path: Path
) -> None:
    profile = load_profile(vendor)
    listing, record = _list_op(profile), _object_op(profile)
    mine = {"team.list": listing, "team.object": record}
    target = _target(
        emulators[vendor],
        tmp_path,
        operations=[_copy(op, new_id) for new_id, op in mine.items()],
    )
    planned = {new_id: _checks_on(target, new_id) for new_id in mine}
    for new_id, default in mine.items():
        expected = _checks_on(target, default.id) - RECORD_CHECKS
        assert planned[new_id] == expected, f"{vendor} {new_id} vs {default.id}"
    shape_checks = {"envelope.list-shape", "envelope.object-shape", "envelope.id-format"}
    assert planned["team.list"] and planned["team.object"]
    assert shape_checks & set(routing_for(vendor).checks) <= (
        planned["team.list"] | planned["team.object"]
    ), f"{vendor}: a body-shape check skips operations without a schema"

    names = set().union(*planned.values())
    engine = Engine([target], only=names, jobs=1)
    with engine:
        engine.run()
    outcome = {(r.check, r.operation): r for r in engine.results}
    for new_id, default in mine.items():
        for name in planned[new_id]:
            ours, theirs = outcome[(name, new_id)], outcome[(name, default.id)]
            assert "schema" not in ours.reason, f"{vendor} {name} [{new_id}]: {ours.reason}"
            assert ours.outcome == theirs.outcome, (
                f"{vendor} {name}: {new_id} {ours.outcome} ({ours.reason}) but "
                f"{default.id} {theirs.outcome} ({theirs.reason})"
            )
            if theirs.requests:
                assert ours.requests, f"{vendor} {name} [{new_id}] sent nothing"


class Recording(httpx.BaseTransport):
    """Sends through a real TLS transport and keeps every (method, path) it sent."""

    def __init__(self, verify: ssl.SSLContext) -> None:
        self.inner = httpx.HTTPTransport(verify=verify)
        self.sent: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.sent.append((request.method, request.url.path))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _pattern(profile: Profile, op: Operation) -> re.Pattern[str]:
    base = re.escape(re.sub(r"^https?://[^/]+", "", profile.base_url).rstrip("/"))
    path = re.sub(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}", "[^/]+", re.escape(op.path))
    return re.compile(f"^{base}{path}$")


@pytest.mark.parametrize("vendor", VENDORS)
def test_an_excluded_operation_is_never_requested(
    vendor: str, emulators: dict[str, RunningEmulator], tmp_path: Path
) -> None:
    profile = load_profile(vendor)
    dropped = _object_op(profile)
    emu = emulators[vendor]
    target = _target(emu, tmp_path, inventory={"exclude": [dropped.id]})
    assert dropped.id not in {op.id for op in target.profile.operations}
    recording = Recording(ssl.create_default_context(cafile=str(target.ca_bundle)))
    with Engine([target], transport=recording, jobs=1) as engine:
        engine.run()
    assert engine.results and recording.sent
    pattern = _pattern(profile, dropped)
    hits = [(m, p) for m, p in recording.sent if m == dropped.method and pattern.match(p)]
    assert not hits, f"{vendor}: excluded {dropped.id} was requested: {hits[:3]}"
    assert not any(r.operation == dropped.id for r in engine.results)
