"""Running the tools as users do: whole commands, bytecode cached (as after an install)."""

from __future__ import annotations

import os
import subprocess
import sys


def user_env(**extra: str) -> dict[str, str]:
    """The environment, without this machine's PYTHONDONTWRITEBYTECODE (users have it unset)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def warm_bytecode() -> None:
    """Compile and cache what the commands import, once, before anything is timed."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import harness.cli, harness.runner, harness.emulators, harness.checks, "
            "schemathesis, hypothesis",
        ],
        env=user_env(),
        check=True,
    )
    subprocess.run(
        [sys.executable, "-c", "from harness.checks import load_all; load_all()"],
        env=user_env(),
        check=True,
    )
