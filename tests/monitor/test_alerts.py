"""Alert payloads carry no secret, reach both channels, and follow the grouping rules."""

from __future__ import annotations

import base64
import json
import shlex
import sys
import tomllib
from pathlib import Path

import tomli_w

from harness.monitor.alerts import alert_payload
from harness.monitor.status import (
    CheckRecord,
    FindingRecord,
    VendorRecord,
    alert_group,
    classify,
)
from harness.monitor.store import HistoryStore, Transition, alerts, checks, findings, records
from harness.redaction import Redactor
from tests.monitor.conftest import Emulators, Receiver, run_monitor
from tests.monitor.test_once import rows

TOKEN = "sk_live_DISTINCTIVE_c0ffee_4242_s3cr3t"
PASSWORD = "Pa55-DISTINCTIVE-w0rd-9x7"


def _forms(*secrets: str) -> list[str]:
    """Each secret and the base64 of its 3-byte-aligned prefix (as Basic auth carries it)."""
    out = list(secrets)
    for s in secrets:
        out.append(base64.b64encode(s.encode()[: len(s) // 3 * 3]).decode())
    return out


def _record(status: str, leak: str = "") -> VendorRecord:
    finding = FindingRecord(
        clause="ITRP-ERR-BODY",
        check="errors.body-shape",
        severity="critical",
        operation="",
        title=f"error body has a status key {leak}",
        message=f"GET /v1/x?api_token={leak} answered 404 with Authorization: Basic {leak}",
    )
    check = CheckRecord("errors.body-shape", "", "failed", ("ITRP-ERR-BODY",), 2, 0.1, leak)
    return VendorRecord(
        vendor="itrp",
        target=f"itrp prod {leak}",
        mode="live",
        status=status,  # type: ignore[arg-type]
        started=1.0,
        finished=2.0,
        requests=2,
        budget=40,
        checks=(check,),
        findings=(finding,),
        latencies=(0.01, 0.02),
        errors=(f"harness error with {leak}",),
    )


def test_a_payload_built_from_a_leaky_record_still_carries_no_secret() -> None:
    encoded = base64.b64encode(f"{TOKEN}:x".encode()).decode()
    redactor = Redactor((TOKEN, PASSWORD))
    for leak in (TOKEN, PASSWORD, encoded):
        payload = alert_payload(_record("failing", leak), Transition("failing", "", 7), redactor)
        text = json.dumps(payload)
        assert not [s for s in _forms(TOKEN, PASSWORD) if s in text], text
        assert payload["text"] and payload["event"] == "failing" and payload["record_id"] == 7


def test_distinctive_credentials_never_reach_the_webhook_the_command_or_the_history(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    _, path = emulators.start("itrp")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["credentials"].update(api_token=TOKEN, password=PASSWORD)  # refused: findings
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    out = tmp_path / "alert.json"
    script = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())"
    command = shlex.join([sys.executable, "-c", script, str(out)])
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    code = run_monitor(
        "monitor", "--once", "--target-file", path, "--db", url,
        "--alert-webhook", receiver.url, "--alert-command", command,
    )  # fmt: skip
    assert code == 1
    assert len(receiver.raw) == 1 and out.is_file()
    assert json.loads(out.read_bytes()) == receiver.bodies[0]
    assert receiver.bodies[0]["status"] == "failing"
    history = json.dumps([rows(url, t) for t in (records, checks, findings, alerts)])
    for text in (receiver.raw[0].decode(), out.read_text("utf-8"), history):
        assert not [s for s in _forms(TOKEN, PASSWORD) if s in text]


def test_the_status_rules_and_their_alert_groups() -> None:
    ok = CheckRecord("a", "", "passed", ("C-1",), 1, 0.1)
    gone = CheckRecord("a", "", "error", ("C-1",), 1, 0.1, "target unavailable: refused")
    bug = CheckRecord("a", "", "error", ("C-1",), 1, 0.1, "harness bug in check a")
    normal = FindingRecord("C-1", "a", "normal", "", "t", "m")
    blocker = FindingRecord("C-2", "a", "blocker", "", "t", "m")
    assert classify((ok,), (), ()) == "healthy"
    assert classify((ok,), (normal,), ()) == "degraded"
    assert classify((bug,), (), ()) == "degraded"
    assert classify((ok,), (normal, blocker), ()) == "failing"
    assert classify((gone,), (blocker,), ()) == "unreachable"
    assert classify((), (), ("target unavailable: no answer",)) == "unreachable"
    assert [alert_group(s) for s in ("healthy", "degraded", "failing", "unreachable")] == [
        "ok",
        "ok",
        "down",
        "down",
    ]


def test_only_a_change_of_group_makes_an_alert(tmp_path: Path) -> None:
    store = HistoryStore(f"sqlite:///{tmp_path / 'h.sqlite'}")
    cycle = store.start_cycle("test")
    kinds = []
    sequence = ["healthy", "degraded", "failing", "unreachable", "failing", "degraded", "healthy"]
    for status in sequence:
        _, transition = store.save(cycle, _record(status), ("webhook",), lambda t: {"k": t.kind})
        kinds.append(transition.kind if transition else None)
    assert kinds == [None, None, "failing", None, None, "recovered", None]
    assert [a.payload["k"] for a in store.pending_alerts()] == ["failing", "recovered"]
    store.close()
