"""The same target run again gives the same verdicts, for every vendor.

A real ``harness emulate`` process serves the vendor; against its target file,
``harness monitor --once``, then ``harness run`` with writes allowed but no credential
reset, then twice with the credential reset allowed too (on an emulator the harness puts
the credential back), then ``harness monitor --once`` again. The runs' clause verdicts
are identical (the first run only skips the reset), and the monitor says after what it
said before: no run left the target's credentials changed.
"""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import tomli_w

from harness._resources import vendor_names
from harness.cli import main
from harness.emulators import run_emulator, vendor_module

VENDORS = vendor_names()
RESET_CHECKS = {"token.reset"}  # checks that need [allow] credential_reset


@contextmanager
def emulate(vendor: str, folder: Path) -> Iterator[Path]:
    """``harness emulate VENDOR --target-file F`` in its own process; its target file."""
    target = folder / f"{vendor}.toml"
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "emulate", vendor, "--target-file", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        assert first.startswith(f"{vendor}: "), first + process.stderr.read()
        process.stdout.readline()  # CA: ...
        yield target
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _with_allow(path: Path, name: str, **allow: bool) -> Path:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["allow"] = {"clock_control": True, "exhaustion": False, **allow}
    copy = path.with_name(name)
    copy.write_text(tomli_w.dumps(data), encoding="utf-8")
    return copy


def _run(target: Path, results: Path) -> tuple[int, dict[str, Any]]:
    code = main(["run", "--target-file", str(target), "--results", str(results), "-q"])
    return code, json.loads(results.read_text(encoding="utf-8"))


def _verdicts(data: dict[str, Any]) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    return {
        (c["clause"], c["operation"]): (
            c["outcome"],
            tuple(sorted({f["check"] for f in c["findings"]})),
        )
        for c in data["cases"]
    }


def _monitor(target: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    db = f"sqlite:///{folder / 'history.sqlite'}"
    code = main(["monitor", "--once", "--target-file", str(target), "--db", db])
    out = capsys.readouterr().out
    return code, out


def _reset_cases(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["clause"], c["operation"]) for c in data["cases"] if set(c["checks"]) & RESET_CHECKS}


@pytest.mark.parametrize("vendor", VENDORS)
def test_emulate_run_run_monitor_gives_the_same_verdicts(
    vendor: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with emulate(vendor, tmp_path) as target:
        writes_only = _with_allow(target, "writes-only.toml", writes=True)
        resetting = _with_allow(target, "reset.toml", writes=True, credential_reset=True)
        before = _monitor(writes_only, tmp_path, capsys)
        code0, plain = _run(writes_only, tmp_path / "writes-only.json")
        code1, first = _run(resetting, tmp_path / "first.json")
        code2, second = _run(resetting, tmp_path / "second.json")
        after = _monitor(writes_only, tmp_path, capsys)

    assert first["cases"], f"{vendor}: the run decided no case"
    assert (code1, _verdicts(first)) == (code2, _verdicts(second)), vendor
    # writes alone: the reset is skipped, for want of its own permission; nothing else differs
    reset_cases = _reset_cases(first)
    for result in plain["results"]:
        if result["check"] in RESET_CHECKS:
            assert result["outcome"] == "skipped", result
            assert "credential_reset" in result["reason"], result
    kept = {k: v for k, v in _verdicts(first).items() if k not in reset_cases}
    assert {k: v for k, v in _verdicts(plain).items() if k not in reset_cases} == kept
    assert code0 == code1 or reset_cases, vendor
    # the credentials the target file holds still work after every run
    assert before[0] == after[0], f"{vendor}: monitor before {before} after {after}"


def test_the_emulator_puts_a_reset_api_token_back_on_restore() -> None:
    token = vendor_module("itrp").credentials()["api_token"]
    with run_emulator("itrp") as emu:
        verify = ssl.create_default_context(cafile=str(emu.tls.ca))
        with httpx.Client(verify=verify) as http:
            reset = http.post(f"{emu.base_url}/me/reset_api_token", auth=(token, "x"))
            assert reset.status_code == 200 and reset.json()["api_token"] != token
            assert http.get(f"{emu.base_url}/me", auth=(token, "x")).status_code == 401
            restored = http.post(f"{emu.origin}/__emulator__/restore")
            assert restored.json() == {"restorable": ["api-tokens"]}
            assert http.get(f"{emu.base_url}/me", auth=(token, "x")).status_code == 200
