"""`harness history`, the trend chart and the metrics server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness.errors import HarnessError
from harness.monitor.metrics import MonitorMetrics
from harness.monitor.status import CheckRecord, FindingRecord, VendorRecord, parse_duration
from harness.monitor.store import Cycle, HistoryStore
from tests.monitor.conftest import run_monitor

HOUR = 3600.0


def _record(vendor: str, status: str, at: float, latency: float) -> VendorRecord:
    broken = status in ("failing", "degraded")
    severity = "critical" if status == "failing" else "normal"
    found = (FindingRecord(f"{vendor.upper()}-X", "c", severity, "", "t", "m"),) if broken else ()
    outcome = "error" if status == "unreachable" else "failed" if broken else "passed"
    reason = "target unavailable: refused" if status == "unreachable" else ""
    return VendorRecord(
        vendor=vendor,
        target=f"{vendor} (live)",
        mode="live",
        status=status,  # type: ignore[arg-type]
        started=at,
        finished=at + 2,
        requests=20,
        budget=40,
        checks=(CheckRecord("c", "", outcome, (f"{vendor.upper()}-X",), 20, 1.0, reason),),
        findings=found,
        latencies=() if status == "unreachable" else (latency, latency * 1.5, latency * 4),
    )


@pytest.fixture
def history_db(tmp_path: Path) -> str:
    """Two days of a record every hour for two vendors, with an outage and a fault."""
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    store = HistoryStore(url)
    now = 1_900_000_000.0
    cycle = Cycle("test", now - 49 * HOUR)
    for i in range(48):
        at = now - (48 - i) * HOUR
        itrp = "unreachable" if 10 <= i < 13 else "failing" if 30 <= i < 36 else "healthy"
        turris = "degraded" if i % 7 == 0 else "healthy"
        store.save(cycle, _record("itrp", itrp, at, 0.05 + 0.01 * (i % 5)))
        store.save(cycle, _record("turris", turris, at, 0.02 + 0.002 * i))
    store.close()
    return url


def test_history_reports_availability_latency_and_findings(
    history_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_monitor("history", "--db", history_db, "--since", "100000d", "--format", "json") == 0
    data = {t["vendor"]: t for t in json.loads(capsys.readouterr().out)["targets"]}
    itrp = data["itrp"]
    assert itrp["records"] == 48 and itrp["availability"] == pytest.approx(45 / 48)
    assert itrp["healthy"] == pytest.approx(39 / 48)
    assert itrp["statuses"] == {"healthy": 39, "degraded": 0, "failing": 6, "unreachable": 3}
    assert itrp["clauses"]["ITRP-X"]["records"] == 6
    assert 0 < itrp["p50_ms"] <= itrp["p95_ms"]
    assert len(itrp["series"]) == 48 and data["turris"]["clauses"]["TURRIS-X"]["records"] == 7
    assert run_monitor("history", "turris", "--db", history_db, "--since", "100000d") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:4] == ["vendor", "target", "records", "available"]
    assert len(table) == 2 and table[1].startswith("turris")
    assert run_monitor("history", "--db", history_db, "--since", "1h") == 0  # nothing recent


def test_metrics_served_on_a_port_parse(tmp_path: Path) -> None:
    metrics = MonitorMetrics()
    metrics.update(_record("itrp", "failing", 1_900_000_000.0, 0.05))
    port = metrics.serve(0)
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        metrics.stop()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    (up,) = families["harness_vendor_up"].samples
    assert up.value == 0.0 and up.labels == {"vendor": "itrp", "target": "itrp (live)"}
    status = {s.labels["status"]: s.value for s in families["harness_vendor_status"].samples}
    assert status == {"healthy": 0.0, "degraded": 0.0, "failing": 1.0, "unreachable": 0.0}
    assert families["harness_vendor_conformance_ratio"].samples[0].value == 0.0
    last = families["harness_vendor_last_run_timestamp_seconds"].samples[0].value
    assert last == 1_900_000_002.0


def test_durations_parse_and_bad_ones_say_what_is_expected() -> None:
    assert [parse_duration(t) for t in ("90", "1s", "1.5s", "5m", "2h", "7d", "1w")] == [
        90.0,
        1.0,
        1.5,
        300.0,
        7200.0,
        604800.0,
        604800.0,
    ]
    for bad in ("", "0s", "5 minutes", "-1m"):
        with pytest.raises(HarnessError, match=r"e\.g\. 30s, 5m, 7d"):
            parse_duration(bad, "--interval")
    assert run_monitor("monitor", "--interval", "soon") == 2


def test_history_of_a_database_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite"
    assert run_monitor("history", "--db", f"sqlite:///{missing}") == 2
    assert not missing.exists()
