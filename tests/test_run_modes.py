"""`harness run` gives the same verdicts through an HTTPS forwarding proxy as direct, and a
live-mode run stays read-only and under the documented limits."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from harness.emulators import run_emulator
from harness.runner import RunOptions, run
from tests.support.proxy import connect_proxy


def _verdicts(results_file: Path) -> set[tuple[str, str, str, str]]:
    import json

    data = json.loads(results_file.read_text(encoding="utf-8"))
    return {(c["vendor"], c["clause"], c["operation"], c["outcome"]) for c in data["cases"]}


def _rewrite(path: Path, **changes: Any) -> Path:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        data[key] = value
    out = path.with_name(path.stem + "-" + "-".join(changes) + ".toml")
    out.write_text(tomli_w.dumps(data), encoding="utf-8")
    return out


def test_results_through_a_forwarding_proxy_equal_the_direct_results(tmp_path: Path) -> None:
    with run_emulator("trackops") as emu, connect_proxy() as proxy:
        direct = emu.write_target(tmp_path / "trackops.toml")
        proxied = _rewrite(direct, transport={"proxy": proxy.url})
        first = run(RunOptions(target_files=[direct], results_file=tmp_path / "direct.json"))
        second = run(RunOptions(target_files=[proxied], results_file=tmp_path / "proxy.json"))
    assert proxy.tunnels, "the proxied run did not go through the proxy"
    assert first.exit_code == second.exit_code
    assert _verdicts(tmp_path / "direct.json") == _verdicts(tmp_path / "proxy.json")
    assert _verdicts(tmp_path / "direct.json")


def test_a_live_mode_run_sends_no_write_and_receives_no_429(tmp_path: Path) -> None:
    from harness._resources import vendor_names
    from harness.emulators import make_tls, start_emulator

    tls = make_tls(tmp_path / "tls")
    emulators = [start_emulator(v, tls=tls) for v in vendor_names()]
    try:
        files = []
        for emu in emulators:
            target = emu.write_target(tmp_path / f"{emu.vendor}.toml")
            files.append(
                _rewrite(
                    target,
                    mode="live",
                    allow={"writes": False, "exhaustion": False, "clock_control": False},
                )
            )
        report = run(RunOptions(target_files=files, results_file=tmp_path / "live.json"))
        stats = {emu.vendor: emu.ctx.stats.as_dict() for emu in emulators}
    finally:
        for emu in emulators:
            emu.stop()
    assert report.results, "nothing ran"
    for vendor, seen in stats.items():
        assert seen["requests"] > 0, vendor
        assert seen["rate_limited"] == 0, f"{vendor} answered 429 to a live-mode run: {seen}"
        assert seen["writes"] == 0, f"{vendor} received write requests in live mode: {seen}"
    skipped = {r.reason for r in report.results if r.outcome == "skipped"}
    assert not any("harness bug" in reason for reason in skipped)
