"""Running proof jobs: in this process one after another, or in worker processes side by
side (each job still gets its own emulator instance, so jobs share nothing but the CA).

Workers are spawned (never forked: the parent may be serving emulators in threads) and
kept for many jobs, so each imports the harness once. Jobs go out longest first: once a
vendor's clean run is back, its faults are known to cost about as much, and the costliest
pending vendor goes next, so no long job starts last while the other workers idle.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from harness.emulators._server import TLSFiles
from harness.errors import HarnessError
from harness.selftest._proof import Job, JobResult, prove

__all__ = ["available_workers", "run_jobs"]

Done = Callable[[JobResult], None]


def available_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_jobs(
    jobs: Sequence[Job], tls: TLSFiles, folder: Path, workers: int, done: Done
) -> dict[Job, JobResult]:
    """Every job's result; ``done`` hears of each as it finishes."""
    if workers <= 1 or len(jobs) <= 1:
        results = {}
        for job in jobs:
            results[job] = prove(job, tls, folder)
            done(results[job])
        return results
    return _in_processes(list(jobs), tls, folder, min(workers, len(jobs)), done)


class _Queue:
    """Pending jobs, clean runs first, then the faults of the costliest vendor."""

    def __init__(self, jobs: list[Job]) -> None:
        self.pending = sorted(jobs, key=lambda j: bool(j.faults))  # stable: clean ones first
        self.cost: dict[str, float] = {}

    def learn(self, result: JobResult) -> None:
        if not result.job.faults:
            self.cost[result.job.vendor] = max(
                result.seconds, self.cost.get(result.job.vendor, 0.0)
            )
            guess = max(self.cost.values())
            self.pending.sort(key=lambda j: (bool(j.faults), -self.cost.get(j.vendor, guess)))

    def next(self) -> Job | None:
        return self.pending.pop(0) if self.pending else None


def _in_processes(
    jobs: list[Job], tls: TLSFiles, folder: Path, workers: int, done: Done
) -> dict[Job, JobResult]:
    queue = _Queue(jobs)
    results: dict[Job, JobResult] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        running: dict[Future[JobResult], Job] = {}
        try:
            while True:
                while len(running) < workers and (job := queue.next()) is not None:
                    running[pool.submit(prove, job, tls, folder)] = job
                if not running:
                    return results
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    job = running.pop(future)
                    result = future.result()
                    results[job] = result
                    queue.learn(result)
                    done(result)
        except BrokenProcessPool as exc:
            raise HarnessError(
                f"a selftest worker process died ({exc}); rerun with --jobs 1 to see where"
            ) from exc
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
