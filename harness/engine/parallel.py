"""Running several targets side by side: one thread per group of targets.

Each target keeps everything that makes it polite on its own: its session (HTTP client,
token), its throttle under its own documented limit, its request budget and its clock.
Targets that share an origin (scheme, host and port: the same API, perhaps the same
credentials and rate limit) form one group and run one after another in one thread, so
two target files for one API never add up to more than its documented limit. Groups run
at once, at most ``jobs`` of them; five vendors take about as long as the slowest one.

A run's events reach the listeners one at a time and in a serial run's order
(:class:`~harness.engine.bus.OrderedLanes`); an exception in a thread (a listener that
cannot write its file) is raised again in the caller once every thread has stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.engine.target_run import TargetRun
    from harness.targets import Target

__all__ = ["Workers", "groups"]

INTERRUPT_WAIT = 5.0  # seconds for a running check to end after an interrupt


def groups(targets: Sequence[Target]) -> list[list[int]]:
    """Indices of ``targets`` grouped by origin (first appearance order); one group runs
    its targets one after another."""
    found: dict[str, list[int]] = {}
    for index, target in enumerate(targets):
        found.setdefault(target.origin, []).append(index)
    return list(found.values())


class Workers:
    """Threads that each work through groups of target runs, at most ``jobs`` at once."""

    def __init__(
        self,
        runs: Sequence[TargetRun],
        work: Callable[[TargetRun, int], None],
        jobs: int | None = None,
    ) -> None:
        self.runs = runs
        self._work = work
        self._queue = groups([r.target for r in runs])
        size = len(self._queue) if jobs is None else max(1, min(jobs, len(self._queue)))
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._loop, name=f"harness-target-{i}", daemon=True)
            for i in range(size)
        ]
        self.errors: dict[int, BaseException] = {}

    def _next(self) -> list[int] | None:
        with self._lock:
            return self._queue.pop(0) if self._queue else None

    def _loop(self) -> None:
        while (group := self._next()) is not None:
            for index in group:
                try:
                    self._work(self.runs[index], index)
                except BaseException as exc:  # kept for the caller, raised there
                    self.errors[index] = exc

    def start(self) -> Workers:
        for thread in self._threads:
            thread.start()
        return self

    def join(self) -> None:
        """Wait for every thread; on an interrupt, stop the runs after their current check."""
        try:
            for thread in self._threads:
                while thread.is_alive():
                    thread.join(0.25)
        except BaseException:  # Ctrl-C: do not wait long for a check that sleeps
            self.stop(wait=INTERRUPT_WAIT)
            raise

    def stop(self, wait: float | None = None) -> None:
        """Start no further check; wait for the running ones (at most ``wait`` seconds
        each; the threads are daemons, an interrupted process does not wait for them)."""
        with self._lock:
            self._queue.clear()
        for run in self.runs:
            run.stop()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(wait)

    def raise_first(self) -> None:
        """Raise the first error of a thread, in target order (as a serial run would)."""
        if self.errors:
            raise self.errors[min(self.errors)]

    @property
    def alive(self) -> bool:
        return any(t.is_alive() for t in self._threads)
