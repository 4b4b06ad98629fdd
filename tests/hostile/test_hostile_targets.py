"""`harness run` against hostile targets: it ends in time, names the cause, and spares the rest.

Each scenario is a small server on loopback pretending to be ITRP (see ``servers.py``),
probed by ``python -m harness.cli run`` in a subprocess together with TuriTop's real
emulator. Every run must end within a bound derived from its timeouts with exit 1 (a
finding, when the checks can judge what came back, even too little for a full verdict: the
run may be partial) or 2 (a harness error, when nothing usable came back), name the cause,
print no traceback and no form of the credentials it was given, keep its memory bounded,
and leave TuriTop's verdicts exactly as in a run without the hostile target.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.emulators import make_tls, start_emulator, vendor_module
from harness.emulators._server import TLSFiles
from harness.runner import RunOptions, run
from tests.hostile.servers import BEHAVIOURS, Tls, free_port, hostile_server, hostile_target
from tests.hostile.servers import make_tls as make_hostile_tls
from tests.leaks.secrets import forms_of, planted, scan

HOSTILE = "itrp"
GOOD = "turitop"
SUITES = ("envelope", "transport")
MAX_BODY = 1024 * 1024
RSS_LIMIT_MB = 300
HOSTILE_SECRETS = [  # every form of the hostile target's credentials: none may be printed
    f for s in planted(HOSTILE, vendor_module(HOSTILE).credentials()) for f in forms_of(s)
]
RUN_BOUND = 60.0  # seconds: far above every scenario's timeouts; a robustness bound


@dataclass(frozen=True)
class Scenario:
    name: str
    exit_code: int
    cause: str  # must appear in the output, and in a hostile case's reason or finding
    behaviour: str | None = None  # a key of BEHAVIOURS; None: nothing listens at all
    other_ca: bool = False


SCENARIOS = (
    Scenario("refused", 2, "Connection refused"),
    Scenario("unknown-ca", 2, "certificate verify failed", "html", other_ca=True),
    Scenario("silent", 2, "timed out after 2.0s", "silent"),
    Scenario("html", 1, "should answer the JSON body {}; got b'<!DOCTYPE html>", "html"),
    Scenario("invalid-json", 1, 'should answer the JSON body {}; got b\'{"data"', "invalid-json"),
    Scenario("huge", 2, f"the response body exceeded {MAX_BODY} bytes", "huge"),
    Scenario("drip", 2, "timed out: the response took more than 6.0s in total", "drip"),
    Scenario("redirect", 1, "should answer 200, got 302", "redirect"),
    Scenario("invalid-utf8", 1, "the body is not valid utf-8", "invalid-utf8"),
    Scenario("mid-body", 2, "peer closed connection without sending complete", "mid-body"),
    Scenario("empty", 1, "should answer the JSON body {}; got b''", "empty"),
)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls(tmp_path_factory.mktemp("emulator-tls"))


@pytest.fixture(scope="module")
def hostile_tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tls, Tls]:
    """The hostile servers' CA, and another CA that did not issue their certificate."""
    folder = tmp_path_factory.mktemp("hostile-tls")
    return make_hostile_tls(folder, "hostile"), make_hostile_tls(folder, "stranger")


def _good_cases(results: Path) -> dict[tuple[str, str], str]:
    data = json.loads(results.read_text(encoding="utf-8"))
    return {
        (c["clause"], c["operation"]): c["outcome"] for c in data["cases"] if c["vendor"] == GOOD
    }


@pytest.fixture(scope="module")
def baseline(tls: TLSFiles, tmp_path_factory: pytest.TempPathFactory) -> dict[Any, str]:
    """The good vendor's verdicts in a run of its own."""
    folder = tmp_path_factory.mktemp("baseline")
    emu = start_emulator(GOOD, tls=tls)
    try:
        options = RunOptions(
            target_files=[emu.write_target(folder / "good.toml")],
            suites=SUITES,
            results_file=folder / "results.json",
        )
        report = run(options)
    finally:
        emu.stop()
    cases = _good_cases(folder / "results.json")
    assert report.exit_code == 0, cases
    assert cases and set(cases.values()) == {"passed"}, cases
    return cases


@pytest.fixture
def good_target(tls: TLSFiles, tmp_path: Path) -> Iterator[Path]:
    emu = start_emulator(GOOD, tls=tls)
    try:
        yield emu.write_target(tmp_path / "good.toml")
    finally:
        emu.stop()


@pytest.fixture(scope="module")
def child_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of each `harness run`, with bytecode cached.

    Under PYTHONDONTWRITEBYTECODE every child would compile (and pytest assertion-rewrite)
    all its imports again: seconds per run that have nothing to do with the target. Then
    the children share a bytecode cache outside the source tree instead.
    """
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        env["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))
    return env


def _run(
    folder: Path, env: dict[str, str], *targets: Path
) -> tuple[subprocess.CompletedProcess[str], float]:
    # The child reports its own peak RSS (RUSAGE_CHILDREN would be the peak over every child
    # this test process ever reaped, earlier tests' subprocesses included).
    peak_file = folder / "peak-rss-kb"
    # VmHWM is this address space's own high-water mark; ru_maxrss is not usable here, as
    # Linux carries it over fork and exec from the (large) pytest process.
    launcher = (
        "import atexit, os, runpy, sys\n"
        "def peak():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            open(os.environ['HARNESS_PEAK_FILE'], 'w').write(line.split()[1])\n"
        "atexit.register(peak)\n"
        "sys.argv = ['harness', *sys.argv[1:]]\n"
        "runpy.run_module('harness.cli', run_name='__main__')\n"
    )
    env = {**env, "HARNESS_PEAK_FILE": str(peak_file)}
    # --allow-partial: a target answering no JSON leaves most envelope checks of its reads
    # skipped ("transport.json-body reports that"), a partial run (tests/reporting/
    # test_partial.py); here the exit code tells a finding (1) from a harness error (2).
    args = [sys.executable, "-c", launcher, "run", "--allow-partial"]
    args += ["--results", str(folder / "results.json")]
    for target in targets:
        args += ["--target-file", str(target)]
    for suite in SUITES:
        args += ["--suite", suite]
    started = time.monotonic()
    done = subprocess.run(
        args,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_BOUND * 2,
        check=False,
    )
    return done, time.monotonic() - started


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_hostile_target_ends_in_time_with_its_cause_named(
    scenario: Scenario,
    hostile_tls: tuple[Tls, Tls],
    good_target: Path,
    baseline: dict[Any, str],
    child_env: dict[str, str],
    tmp_path: Path,
) -> None:
    ours, stranger = hostile_tls
    ca = (stranger if scenario.other_ca else ours).ca
    if scenario.behaviour is None:
        hostile = hostile_target(tmp_path, scenario.name, free_port(), ca, max_body=MAX_BODY)
        done, seconds = _run(tmp_path, child_env, hostile, good_target)
    else:
        with hostile_server(BEHAVIOURS[scenario.behaviour], ours) as server:
            hostile = hostile_target(tmp_path, scenario.name, server.port, ca, max_body=MAX_BODY)
            done, seconds = _run(tmp_path, child_env, hostile, good_target)
    output = done.stdout + done.stderr
    peak_mb = int((tmp_path / "peak-rss-kb").read_text()) / 1024

    assert done.returncode == scenario.exit_code, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert "harness bug" not in output, output[-3000:]
    assert scenario.cause in output, output[-3000:]
    assert seconds < RUN_BOUND, f"{scenario.name} took {seconds:.1f}s"
    assert peak_mb < RSS_LIMIT_MB, f"a harness run peaked at {peak_mb:.0f} MB"

    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["exit_code"] == scenario.exit_code
    hostile_cases = [c for c in data["cases"] if c["vendor"] == HOSTILE]
    outcomes = {c["outcome"] for c in hostile_cases}
    said = [c["reason"] for c in hostile_cases] + [
        f["message"] for c in hostile_cases for f in c["findings"]
    ]
    assert any(scenario.cause in text for text in said), said
    if scenario.exit_code == 1:
        assert "failed" in outcomes and "error" not in outcomes, hostile_cases
    else:
        assert "error" in outcomes, hostile_cases
    assert _good_cases(tmp_path / "results.json") == baseline
    contents = [("output", output), ("results.json", (tmp_path / "results.json").read_text())]
    assert not scan("a hostile run", contents, HOSTILE_SECRETS)
