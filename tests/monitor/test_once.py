"""`harness monitor --once`: one record per target, exit 0/1/2, budget and politeness."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from harness._resources import vendor_names
from harness.monitor.schema import checks, findings, records
from tests.monitor.conftest import Emulators, Receiver, run_monitor

# A fault that a health check catches, on a critical clause: errors.body-shape (health)
# verifies ITRP-ERR-BODY, which itrp-error-status-key breaks.
FAULT, CLAUSE = "itrp-error-status-key", "ITRP-ERR-BODY"


def rows(url: str, table: sa.Table) -> list[dict[str, Any]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.select(table)).mappings()]
    finally:
        engine.dispose()


def test_once_on_the_builtin_emulators_records_each_vendor_and_exits_0(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    assert run_monitor("monitor", "--once", "--db", url) == 0
    saved = rows(url, records)
    assert sorted(r["vendor"] for r in saved) == sorted(vendor_names())
    assert {r["status"] for r in saved} == {"healthy"}
    assert all(r["checks_total"] > 0 and r["requests"] > 0 for r in saved)
    assert all(r["p50_ms"] is not None for r in saved)


def test_a_cycle_of_all_five_stays_in_budget_without_a_429_and_exports_metrics(
    emulators: Emulators, tmp_path: Path
) -> None:
    started = [emulators.start(v) for v in vendor_names()]
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    prom = tmp_path / "textfile" / "harness.prom"
    files = [a for _, path in started for a in ("--target-file", path)]
    assert run_monitor("monitor", "--once", *files, "--db", url, "--metrics-file", prom) == 0
    for emu, _ in started:
        stats = emu.ctx.stats.as_dict()
        assert 0 < stats["requests"] <= 40, (emu.vendor, stats)
        assert stats["rate_limited"] == 0, (emu.vendor, stats)
    saved = rows(url, records)
    assert len(saved) == 5 and all(r["requests"] <= r["budget"] == 40 for r in saved)
    reasons = [r["reason"] for r in rows(url, checks)]
    assert not [r for r in reasons if "would change state" in r or "budget" in r]
    families = {f.name: f for f in text_string_to_metric_families(prom.read_text("utf-8"))}
    assert {
        "harness_vendor_up",
        "harness_vendor_status",
        "harness_vendor_conformance_ratio",
        "harness_vendor_latency_seconds",
        "harness_check_duration_seconds",
        "harness_vendor_last_run_timestamp_seconds",
    } <= set(families)
    up = {s.labels["vendor"]: s.value for s in families["harness_vendor_up"].samples}
    assert up == dict.fromkeys(vendor_names(), 1.0)
    assert not list(prom.parent.glob("*.prom.*")), "a temporary file was left behind"


def test_the_budget_option_caps_the_requests_of_a_cycle(
    emulators: Emulators, tmp_path: Path
) -> None:
    emu, path = emulators.start("trackops")
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    run_monitor("monitor", "--once", "--target-file", path, "--db", url, "--budget", "8")
    assert emu.ctx.stats.as_dict()["requests"] <= 8
    (saved,) = rows(url, records)
    assert saved["requests"] <= 8 and saved["budget"] == 8
    assert any("budget of 8" in r["reason"] for r in rows(url, checks))


def test_a_faulted_emulator_exits_1_and_records_the_clause(
    emulators: Emulators, tmp_path: Path
) -> None:
    _, path = emulators.start("itrp", FAULT)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    assert run_monitor("monitor", "--once", "--target-file", path, "--db", url) == 1
    (saved,) = rows(url, records)
    assert saved["status"] == "failing"
    found = rows(url, findings)
    assert {f["clause"] for f in found} == {CLAUSE}
    assert {f["severity"] for f in found} == {"critical"}


def test_a_finding_on_a_normal_clause_is_degraded_and_exits_1(
    emulators: Emulators, tmp_path: Path
) -> None:
    _, path = emulators.start("turris", "turris-dates-local-offset")
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    assert run_monitor("monitor", "--once", "--target-file", path, "--db", url) == 1
    (saved,) = rows(url, records)
    assert saved["status"] == "degraded"
    assert {f["clause"] for f in rows(url, findings)} == {"TRS-FMT-DATE"}


def test_an_unreachable_target_exits_2_and_is_recorded(
    emulators: Emulators, tmp_path: Path
) -> None:
    emu, path = emulators.start("turris")
    emu.stop()
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    assert run_monitor("monitor", "--once", "--target-file", path, "--db", url) == 2
    (saved,) = rows(url, records)
    assert saved["status"] == "unreachable"
    assert "target unavailable" in saved["errors"] or any(
        r["reason"].startswith("target unavailable") for r in rows(url, checks)
    )


def test_a_restart_does_not_resend_an_alert(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    _, path = emulators.start("itrp", FAULT)
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    hook = ("--alert-webhook", receiver.url)
    assert run_monitor("monitor", "--once", "--target-file", path, "--db", url, *hook) == 1
    assert [b["event"] for b in receiver.bodies] == ["failing"]
    # A second process (cron's next run) sees the same state in the history: no alert.
    assert run_monitor("monitor", "--once", "--target-file", path, "--db", url, *hook) == 1
    assert len(receiver.bodies) == 1
    assert len(rows(url, records)) == 2
    alert = receiver.bodies[0]
    assert alert["status"] == "failing" and CLAUSE in alert["text"] and alert["clauses"] == [CLAUSE]
    assert json.loads(receiver.raw[0])["vendor"] == "itrp"
