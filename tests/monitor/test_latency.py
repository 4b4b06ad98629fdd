"""Latency thresholds: the p95 over a target's window turns a slow target degraded or
failing (a real emulator whose every response is delayed)."""

from __future__ import annotations

import json
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from harness.monitor.latency import LatencyWindow, apply_thresholds
from harness.monitor.policy import TargetPolicy
from harness.monitor.schema import records
from harness.monitor.status import VendorRecord
from tests.monitor.conftest import Emulators, Receiver, run_monitor
from tests.monitor.test_once import rows

DELAY = 0.25  # seconds added to every response of the slow emulator


def test_a_slow_emulator_is_degraded_above_degraded_ms(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    emu, path = emulators.start("toptickets")
    emu.ctx.options["latency_seconds"] = DELAY
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    prom = tmp_path / "harness.prom"
    argv = ("--target-file", path, "--db", url, "--metrics-file", prom)
    code = run_monitor(
        "monitor", "--once", *argv, "--degraded-ms", "150", "--alert-webhook", receiver.url
    )
    assert code == 1  # not healthy, though no clause is broken
    (saved,) = rows(url, records)
    assert saved["status"] == "degraded" and saved["findings_total"] == 0
    assert saved["window_p95_ms"] >= DELAY * 1000
    assert "above degraded_ms 150" in json.loads(saved["notes"])[0]
    assert receiver.bodies == []  # degraded is in the ok group: nobody is paged
    families = {f.name: f for f in text_string_to_metric_families(prom.read_text("utf-8"))}
    (p95,) = families["harness_vendor_latency_window_p95_seconds"].samples
    assert p95.value >= DELAY


def test_above_failed_ms_it_is_failing_and_alerts_with_the_reason(
    emulators: Emulators, receiver: Receiver, tmp_path: Path
) -> None:
    emu, path = emulators.start("toptickets")
    emu.ctx.options["latency_seconds"] = DELAY
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    limits = ("--degraded-ms", "100", "--failed-ms", "200")
    argv = ("--target-file", path, "--db", url, "--alert-webhook", receiver.url)
    assert run_monitor("monitor", "--once", *argv, *limits) == 1
    (saved,) = rows(url, records)
    assert saved["status"] == "failing"
    (alert,) = receiver.bodies
    assert alert["event"] == "failing" and "above failed_ms 200" in alert["text"]
    emu.ctx.options["latency_seconds"] = 0.0  # fast again; a short window forgets the past
    assert run_monitor("monitor", "--once", *argv, *limits, "--latency-window", "1s") == 0
    assert [b["event"] for b in receiver.bodies] == ["failing", "recovered"]


def _record(status: str, latencies: tuple[float, ...], at: float) -> VendorRecord:
    return VendorRecord("itrp", "t", "live", status, at, at + 1, 2, 40, latencies=latencies)  # type: ignore[arg-type]


def test_thresholds_use_the_window_and_only_make_a_status_worse() -> None:
    policy = TargetPolicy(degraded_ms=100, failed_ms=1000, latency_window=60)
    window = LatencyWindow(60)
    slow = apply_thresholds(_record("healthy", (0.5,) * 20, 0.0), window, policy)
    assert slow.status == "degraded" and slow.window_p95_ms == 500
    # 30 s later, fast: the window still holds the slow cycle.
    still = apply_thresholds(_record("healthy", (0.01,) * 20, 30.0), window, policy)
    assert still.status == "degraded"
    # 100 s later the slow cycle left the window.
    later = apply_thresholds(_record("healthy", (0.01,) * 20, 100.0), window, policy)
    assert later.status == "healthy" and later.window_p95_ms == 10
    gone = apply_thresholds(_record("unreachable", (5.0,), 200.0), window, policy)
    assert gone.status == "unreachable"  # a threshold never hides an outage
    failing = apply_thresholds(_record("failing", (0.2,) * 5, 300.0), window, policy)
    assert failing.status == "failing"  # nor improves a failing record


def test_the_emulator_latency_is_set_through_its_control_endpoint(emulators: Emulators) -> None:
    import ssl

    import httpx

    emu, _ = emulators.start("itrp")
    verify = ssl.create_default_context(cafile=str(emu.tls.ca))
    with httpx.Client(verify=verify) as http:
        url = f"{emu.origin}/__emulator__/latency"
        assert http.post(url, json={"seconds": 0.2}).json() == {"seconds": 0.2}
        answer = http.get(f"{emu.base_url}/people")
        assert answer.elapsed.total_seconds() >= 0.2
        bad = http.post(url, json={"seconds": -1})
        assert bad.status_code == 400 and "expected a delay >= 0" in bad.json()["error"]
        assert http.post(url, json={"seconds": 0}).json() == {"seconds": 0.0}
