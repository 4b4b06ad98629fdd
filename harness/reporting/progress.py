"""Progress while a run goes on, per target and concern: a listener that writes to a stream.

- :class:`LiveProgress` (a terminal): a ``rich`` display refreshed four times a second,
  one row per target with a bar of checks done, requests sent, a tally per concern
  (``auth 6 ok, pagination 3 ok 1 failed``) and the check running now.
- :class:`PlainProgress` (CI logs, pipes): one line when a target starts, one per concern
  as it completes with its tally and time, one when the target finishes.

Nothing is written unless a caller asks (``harness run`` does, on stderr; ``--quiet``
turns it off). :func:`progress_listener` picks one for a stream.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table

from harness.checks import load_all
from harness.engine.events import (
    CheckFinished,
    CheckStarted,
    Event,
    ExchangeRecorded,
    RunFinished,
    RunStarted,
    TargetFailed,
    TargetFinished,
    TargetStarted,
)

__all__ = ["LiveProgress", "PlainProgress", "progress_listener"]

_SHOWN = {"passed": "ok", "failed": "failed", "skipped": "skipped", "error": "errors"}


@dataclass
class _TargetState:
    name: str
    total: int = 0
    done: int = 0
    requests: int = 0
    running: str = ""
    state: str = "waiting"  # waiting | running | finished | failed
    started: float = field(default_factory=time.monotonic)
    concerns: dict[str, Counter[str]] = field(default_factory=dict)
    concern: str = ""
    concern_started: float = 0.0


def _tally(counts: Counter[str]) -> str:
    return " ".join(f"{counts[o]} {_SHOWN[o]}" for o in _SHOWN if counts[o])


class _Tracker:
    """Counts what the events say, per target and concern (shared by both displays)."""

    def __init__(self) -> None:
        self.targets: dict[str, _TargetState] = {}
        self.lock = threading.Lock()

    def state(self, name: str) -> _TargetState:
        return self.targets.setdefault(name, _TargetState(name))

    def track(self, event: Event) -> None:
        with self.lock:
            if isinstance(event, RunStarted):
                for target in event.targets:
                    self.state(target.name)
            elif isinstance(event, TargetStarted):
                s = self.state(event.target.name)
                s.total, s.state, s.started = event.checks, "running", time.monotonic()
            elif isinstance(event, TargetFailed):
                s = self.state(event.target.name)
                s.state, s.running = "failed", event.message
            elif isinstance(event, CheckStarted):
                self.state(event.target.name).running = event.check
            elif isinstance(event, ExchangeRecorded):
                self.state(event.target.name).requests += 1
            elif isinstance(event, CheckFinished):
                s = self.state(event.target.name)
                s.done += 1
                s.running = ""
                s.concerns.setdefault(event.result.concern, Counter())[event.result.outcome] += 1
            elif isinstance(event, TargetFinished):
                s = self.state(event.target.name)
                s.state, s.running = ("finished" if s.state != "failed" else "failed"), ""


class PlainProgress:
    """Lines for logs: a target's start, each concern's tally, the target's end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._tracker = _Tracker()

    def close(self) -> None:
        """Nothing to stop (every line is written as it comes)."""

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def _close_concern(self, s: _TargetState) -> None:
        if s.concern:
            seconds = time.monotonic() - s.concern_started
            counts = s.concerns.get(s.concern, Counter())
            self._line(f"{s.name}: {s.concern}: {_tally(counts)} ({seconds:.1f} s)")
            s.concern = ""

    def __call__(self, event: Event) -> None:
        self._tracker.track(event)
        if isinstance(event, TargetStarted):
            self._line(f"{event.target.name}: started, {event.checks} checks, {event.cases} cases")
        elif isinstance(event, TargetFailed):
            self._line(f"{event.target.name}: not checked: {event.message}")
        elif isinstance(event, CheckStarted):
            s = self._tracker.state(event.target.name)
            concern = _concern_of(event)
            if concern and concern != s.concern:
                self._close_concern(s)
                s.concern, s.concern_started = concern, time.monotonic()
        elif isinstance(event, TargetFinished):
            s = self._tracker.state(event.target.name)
            self._close_concern(s)
            totals: Counter[str] = sum(s.concerns.values(), Counter())
            self._line(
                f"{s.name}: finished in {event.seconds:.1f} s, {event.requests} requests, "
                f"{s.done} checks: {_tally(totals) or 'none ran'}"
            )


def _concern_of(event: CheckStarted) -> str:
    spec = load_all().get(event.check)
    return spec.concern if spec is not None else ""


class LiveProgress:
    """A live table on a terminal, one row per target; stops when the run finishes."""

    def __init__(self, stream: TextIO, console: Console | None = None) -> None:
        self.console = console or Console(file=stream, stderr=False)
        self._tracker = _Tracker()
        self._live: Live | None = None

    def _render(self) -> Table:
        table = Table(expand=False, show_edge=False, pad_edge=False)
        for column in ("target", "checks", "", "requests", "per concern", "now"):
            table.add_column(column, no_wrap=column in ("target", "checks"))
        with self._tracker.lock:
            for s in self._tracker.targets.values():
                concerns = ", ".join(f"{c} {_tally(n)}" for c, n in s.concerns.items())
                now = s.running if s.state == "running" else s.state
                table.add_row(
                    s.name,
                    f"{s.done}/{s.total or '?'}",
                    ProgressBar(total=max(s.total, 1), completed=s.done, width=24),
                    str(s.requests),
                    concerns or "-",
                    now,
                )
        return table

    def __call__(self, event: Event) -> None:
        self._tracker.track(event)
        if isinstance(event, RunStarted) and self._live is None:
            self._live = Live(
                console=self.console,
                get_renderable=self._render,
                refresh_per_second=4,
                transient=False,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()
        elif isinstance(event, RunFinished):
            self.close()

    def close(self) -> None:
        """Stop the display (the run finished, or was interrupted)."""
        if self._live is not None:
            self._live.stop()
            self._live = None


def progress_listener(
    stream: TextIO, *, quiet: bool = False
) -> LiveProgress | PlainProgress | None:
    """The progress display for ``stream``: live on a terminal, lines otherwise, none if quiet."""
    if quiet:
        return None
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        return LiveProgress(stream)
    return PlainProgress(stream)
