"""Schemathesis, all checks, against the emulator's own /v1/openapi.json finds nothing.

The run authenticates through a schemathesis config file (``[auth.openapi.bearerAuth]``),
not a ``-H`` header: an explicit header would be put back on the cases ``ignored_auth``
sends without credentials. Its ~800 requests (coverage, fuzzing and stateful phases) stay
under the documented tt_admin_ limit of 2000/minute in practice, but a slower machine could
cross a window boundary mid-run; the limit is raised through ``options["rate_limits"]``
for this test only so that a 429 never masks a check (the limit has its own tests).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from harness.emulators import RunningEmulator
from harness.emulators.toptickets import credentials

ST = Path(sys.executable).with_name("st")


def test_schemathesis_with_all_checks_reports_no_failure(
    start: Callable[..., RunningEmulator], tmp_path: Path
) -> None:
    emu = start("toptickets", options={"rate_limits": {"all": 100_000}})
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[auth.openapi.bearerAuth]\nbearer = "{credentials()["api_key"]}"\n')
    command = [
        str(ST),
        "--config-file",
        str(config),
        "run",
        f"{emu.base_url}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        "20",
        "--seed",
        "1",
        "--workers",
        "1",
        "--tls-verify",
        str(emu.tls.ca),
        "--generation-database",
        "none",
        "--no-color",
    ]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout
    stats = emu.ctx.stats.as_dict()
    by_status = stats["by_status"]
    # the run reached every documented kind of answer, not only refusals
    assert {"200", "201", "204", "401", "404", "422"} <= set(by_status)
    assert stats["rate_limited"] == 0
