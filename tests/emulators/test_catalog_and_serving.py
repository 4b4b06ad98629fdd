"""Across the five emulators: the fault catalog names real clauses, and ``harness emulate``
serves over TLS, writes a usable target file, refuses plain HTTP and stops on SIGINT."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from harness._resources import vendor_names
from harness.catalog import load_catalog
from harness.cli import main
from harness.emulators import fault_catalog
from harness.targets import load_target

VENDORS = vendor_names()


def test_the_fault_catalog_has_at_least_thirty_faults_and_six_per_vendor() -> None:
    catalog = fault_catalog()
    assert sum(len(f) for f in catalog.values()) >= 30
    for vendor, faults in catalog.items():
        assert len(faults) >= 6, f"{vendor} has {len(faults)} faults"


def test_every_fault_breaks_a_clause_of_its_own_vendor_and_names_are_unique() -> None:
    clauses = load_catalog()
    names: set[str] = set()
    for vendor, faults in fault_catalog().items():
        for fault in faults:
            assert fault.clause in clauses, f"{fault.name} names unknown clause {fault.clause}"
            assert clauses[fault.clause].vendor == vendor
            assert clauses[fault.clause].unchecked is None, f"{fault.name}: clause is unchecked"
            assert fault.name not in names, f"fault name {fault.name} is used twice"
            names.add(fault.name)


def test_harness_faults_lists_every_fault(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faults"]) == 0
    captured = capsys.readouterr()
    total = sum(len(f) for f in fault_catalog().values())
    assert len(captured.out.strip().splitlines()) == total
    assert f"{total} faults" in captured.err


def test_an_unknown_fault_is_a_harness_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulate", "itrp", "--fault", "no-such-fault"]) == 2
    assert "unknown fault 'no-such-fault'" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("vendor", VENDORS)
def test_harness_emulate_serves_tls_writes_a_target_file_and_refuses_plain_http(
    vendor: str, tmp_path: Path
) -> None:
    target_file = tmp_path / f"{vendor}.toml"
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "emulate",
            vendor,
            "--port",
            str(port),
            "--target-file",
            str(target_file),
            "--tls-dir",
            str(tmp_path / "tls"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith(f"{vendor}: https://127.0.0.1:{port}"), first + proc.stderr.read()
        base_url = first.split()[1]
        target = load_target(target_file, environ={})
        assert target.base_url == base_url and target.mode == "emulator"
        assert target.allow.clock_control
        context = ssl.create_default_context(cafile=str(target.ca_bundle))
        with httpx.Client(verify=context) as client:
            clock = client.get(f"https://127.0.0.1:{port}/__emulator__/clock")
            assert clock.status_code == 200 and "now" in clock.json()
            unauthenticated = client.request(
                target.profile.main_operation.method, base_url + target.profile.main_operation.path
            )
            assert unauthenticated.status_code in target.profile.statuses
            assert 400 <= unauthenticated.status_code < 500
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=5).raise_for_status()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0
