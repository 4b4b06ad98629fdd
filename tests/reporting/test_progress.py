"""Progress while running: a live display per target and concern on a terminal, plain lines
in a log, nothing with --quiet."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from harness.cli import build_parser
from harness.reporting.progress import LiveProgress, PlainProgress, progress_listener
from harness.runner import RunOptions, run

VENDOR = "trackops"
RUN = ["run", VENDOR, "--suite", "auth"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_display_is_chosen_by_the_stream_and_quiet() -> None:
    assert isinstance(progress_listener(_Terminal()), LiveProgress)
    assert isinstance(progress_listener(io.StringIO()), PlainProgress)
    assert progress_listener(_Terminal(), quiet=True) is None
    args = build_parser().parse_args([*RUN, "--quiet"])
    assert args.quiet is True


@pytest.fixture(scope="module")
def displays(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """One run with both displays listening: (plain lines, what the live display drew)."""
    plain = io.StringIO()
    drawn = io.StringIO()
    live = LiveProgress(drawn, Console(file=drawn, force_terminal=True, width=160))
    run(
        RunOptions(
            vendors=[VENDOR],
            suites=["auth"],
            results_file=tmp_path_factory.mktemp("progress") / "results.json",
            listeners=[PlainProgress(plain), live],
        )
    )
    return plain.getvalue(), drawn.getvalue()


def test_plain_lines_per_target_and_concern(displays: tuple[str, str]) -> None:
    lines = displays[0].splitlines()
    name = f"{VENDOR} (emulator)"
    assert re.fullmatch(rf"{re.escape(name)}: started, \d+ checks, \d+ cases", lines[0])
    concerns = [line for line in lines[1:-1] if re.match(rf"{re.escape(name)}: \w+: \d+ ", line)]
    assert any(": auth: " in line for line in concerns) and len(concerns) == len(lines) - 2
    assert re.fullmatch(
        rf"{re.escape(name)}: finished in [\d.]+ s, \d+ requests, \d+ checks: \d+ ok.*", lines[-1]
    )


def test_the_live_display_shows_each_target_with_its_concerns(displays: tuple[str, str]) -> None:
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", displays[1])
    assert "per concern" in screen and f"{VENDOR} (emulator)" in screen
    last = screen[screen.rindex(f"{VENDOR} (emulator)") :]
    checks = re.search(r"(\d+)/(\d+)", last)
    assert checks is not None and checks.group(1) == checks.group(2)  # all done at the end
    assert "auth" in last and "finished" in last


def _harness(args: list[str], cwd: Path, tty: bool) -> str:
    """Run the CLI; its stderr as a terminal (a pseudo-terminal) or as a pipe."""
    command = [sys.executable, "-m", "harness.cli", *args]
    if not tty:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)
        assert done.returncode in (0, 1), done.stderr[-2000:]
        return done.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=60) in (0, 1)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_cli_draws_on_a_terminal_and_writes_lines_to_a_log(tmp_path: Path) -> None:
    on_terminal = _harness([*RUN, "--results", str(tmp_path / "a.json")], tmp_path, tty=True)
    assert "\x1b[" in on_terminal and "per concern" in on_terminal
    in_log = _harness([*RUN, "--results", str(tmp_path / "b.json")], tmp_path, tty=False)
    assert "\x1b[" not in in_log
    assert f"{VENDOR} (emulator): started, " in in_log and "auth: " in in_log
    quiet = _harness([*RUN, "--quiet", "--results", str(tmp_path / "c.json")], tmp_path, False)
    assert "started" not in quiet and "per concern" not in quiet
    assert quiet.strip().splitlines() == [f"results: {tmp_path / 'c.json'}"]
