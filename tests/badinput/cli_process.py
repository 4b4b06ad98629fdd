"""The real ``harness`` command in a process of its own, forked from a warm interpreter.

Each call starts a new process that runs ``harness.cli`` as ``__main__`` exactly as the
``harness`` console script does (``sys.argv``, its own stdout and stderr files, its own
environment and working folder); an exception nothing catches ends it the way it would
end the command: a traceback on stderr and exit 1. The processes fork from a
``multiprocessing`` fork server that imported the harness once, so a case costs the
command's own work, not a second of imports.
"""

from __future__ import annotations

import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Outcome", "run_cli", "run_console_script"]

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["harness.cli", "tests.badinput._warm"])
TIMEOUT = 120.0


@dataclass(frozen=True)
class Outcome:
    code: int | None
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.strip()]


def _main(argv: Sequence[str], env: Mapping[str, str], cwd: str, out: str, err: str) -> None:
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(opened, fd)
        os.close(opened)
    sys.argv = ["harness", *argv]
    sys.modules.pop("harness.cli", None)  # preloaded by the fork server: run it as __main__
    runpy.run_module("harness.cli", run_name="__main__", alter_sys=True)


def _environment(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARNESS_")}
    return {**env, **(extra or {})}


def run_cli(argv: Sequence[object], *, cwd: Path, env: Mapping[str, str] | None = None) -> Outcome:
    """``harness ARGV...`` in a new process; its exit code and what it printed."""
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        args = ([str(a) for a in argv], _environment(env), str(cwd), str(out), str(err))
        process = _CONTEXT.Process(target=_main, args=args)
        process.start()
        process.join(TIMEOUT)
        if process.is_alive():
            process.kill()
            process.join()
        return Outcome(process.exitcode, out.read_text("utf-8"), err.read_text("utf-8"))


def run_console_script(
    argv: Sequence[object], *, cwd: Path, env: Mapping[str, str] | None = None
) -> Outcome:
    """The same through ``python -m harness.cli`` (what the console script runs)."""
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", *[str(a) for a in argv]],
        cwd=cwd,
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)
