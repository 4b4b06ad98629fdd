"""Alert payloads carry no secret, reach both channels, and follow the grouping rules."""

from __future__ import annotations

import base64
import json
import shlex
import sys
import time
import tomllib
from dataclasses import replace
from pathlib import Path

import tomli_w

from harness.monitor.alerts import alert_payload
from harness.monitor.outbox import Outbox
from harness.monitor.policy import Transition
from harness.monitor.schema import alerts, checks, findings, records
from harness.monitor.status import (
    CheckRecord,
    FindingRecord,
    VendorRecord,
    alert_group,
    classify,
)
from harness.monitor.store import Cycle, HistoryStore
from harness.redaction import Redactor
from tests.monitor.conftest import Emulators, Receiver, run_monitor, set_name
from tests.monitor.test_once import FAULT, rows

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
    by_command, by_webhook = json.loads(out.read_bytes()), receiver.bodies[0]
    assert by_command["idempotency_key"] != by_webhook["idempotency_key"]  # one per channel
    for body in (by_command, by_webhook):
        for payload in (body, *body["alerts"]):
            del payload["idempotency_key"]
    assert by_command == by_webhook
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


def test_only_a_change_of_group_makes_an_alert(history_url: str) -> None:
    store = HistoryStore(history_url)
    cycle = Cycle("test", 1.0)
    kinds = []
    sequence = ["healthy", "degraded", "failing", "unreachable", "failing", "degraded", "healthy"]
    for i, status in enumerate(sequence):
        record = replace(_record(status), started=10.0 + i)
        saved = store.save(cycle, record, ("webhook",), lambda t: {"k": t.kind})
        kinds.append(saved.transition.kind if saved.transition else None)
    assert kinds == [None, None, "failing", None, None, "recovered", None]
    claimed = Outbox(store).claim(("webhook",), due_before=time.time())
    assert [a.payload["k"] for a in claimed] == ["failing", "recovered"]
    assert Outbox(store).claim(("webhook",), due_before=time.time()) == []  # claimed once
    store.close()


def test_several_targets_of_a_vendor_going_down_together_make_one_message(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    paths = [emulators.start("itrp", FAULT)[1] for _ in range(3)]
    for i, path in enumerate(paths):
        set_name(path, f"itrp tenant {i}")
    _, healthy = emulators.start("toptickets")
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    files = [a for p in [*paths, healthy] for a in ("--target-file", p)]
    assert (
        run_monitor("monitor", "--once", *files, "--db", url, "--alert-webhook", receiver.url) == 1
    )
    (message,) = receiver.bodies
    assert message["event"] == "failing" and message["vendor"] == "itrp" and message["count"] == 3
    assert sorted(message["targets"]) == [f"itrp tenant {i}" for i in range(3)]
    assert message["text"].count("is FAILING") == 3 and "3 itrp targets are DOWN" in message["text"]
    assert len({a["idempotency_key"] for a in message["alerts"]}) == 3
    assert {a["state"] for a in rows(url, alerts)} == {"sent"} and len(rows(url, alerts)) == 3


def test_a_reminder_goes_out_while_a_target_stays_down(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    _, path = emulators.start("itrp", FAULT)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    argv = ("--target-file", path, "--db", url, "--alert-webhook", receiver.url)
    assert run_monitor("monitor", "--once", *argv, "--reminder", "1h") == 1
    assert run_monitor("monitor", "--once", *argv, "--reminder", "1h") == 1  # not due yet
    time.sleep(1.1)
    assert run_monitor("monitor", "--once", *argv, "--reminder", "1s") == 1
    assert [b["event"] for b in receiver.bodies] == ["failing", "reminder"]
    reminder = receiver.bodies[1]
    assert "still FAILING" in reminder["text"] and reminder["down_since"]
