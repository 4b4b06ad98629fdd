"""A target that asks for the emulator's clock: a stopped emulator is named as the cause
(not "set clock_control = false"), and a server without the clock gets that advice."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from harness.emulators import make_tls as make_emulator_tls
from harness.emulators import start_emulator
from harness.runner import RunOptions, run
from tests.hostile.servers import BEHAVIOURS, hostile_server, make_tls


def test_a_stopped_emulator_is_named_as_the_cause(tmp_path: Path) -> None:
    emu = start_emulator("itrp", tls=make_emulator_tls(tmp_path / "tls"))
    target = emu.write_target(tmp_path / "itrp.toml")
    emu.stop()
    report = run(RunOptions(target_files=[target], suites=["transport"]))
    assert report.exit_code == 2
    (error,) = report.setup_errors
    assert "did not answer" in error and "is it still running?" in error, error
    assert "clock_control = false" not in error


def test_a_server_without_the_clock_gets_the_clock_control_advice(tmp_path: Path) -> None:
    tls = make_tls(tmp_path / "tls")
    with hostile_server(BEHAVIOURS["html"], tls) as server:
        emu = start_emulator("itrp")
        data = tomllib.loads(emu.write_target(tmp_path / "t.toml").read_text(encoding="utf-8"))
        emu.stop()
        data.update(base_url=f"https://127.0.0.1:{server.port}/v1", ca_bundle=str(tls.ca))
        target = tmp_path / "not-an-emulator.toml"
        target.write_text(tomli_w.dumps(data), encoding="utf-8")
        report = run(RunOptions(target_files=[target], suites=["transport"]))
    (error,) = report.setup_errors
    assert "not as an emulator's clock" in error and "clock_control = false" in error, error
