"""Running proof jobs: a job that cannot start is reported, not raised, so the others go on;
worker processes take clean runs first, then the faults of the costliest vendor."""

from __future__ import annotations

from pathlib import Path

from harness.emulators import make_tls
from harness.selftest import Job, JobResult, prove
from harness.selftest._pool import _Queue
from tests.selftest._vendors import cheap_vendor


def test_a_job_whose_emulator_cannot_start_reports_the_harness_error(tmp_path: Path) -> None:
    result = prove(Job(cheap_vendor(), ("no-such-fault",)), make_tls(tmp_path / "tls"), tmp_path)
    assert result.findings == ()
    assert len(result.errors) == 1 and "unknown fault 'no-such-fault'" in result.errors[0]


def done(job: Job, seconds: float) -> JobResult:
    return JobResult(job, (), (), seconds=seconds)


def test_clean_runs_go_first_then_the_faults_of_the_costliest_vendor() -> None:
    jobs = [
        Job("cheap", ("c1",)),
        Job("dear", ("d1",)),
        Job("cheap"),
        Job("cheap", ("c2",)),
        Job("dear"),
        Job("dear", ("d2",)),
    ]
    queue = _Queue(jobs)
    assert [queue.next(), queue.next()] == [Job("cheap"), Job("dear")]
    queue.learn(done(Job("cheap"), 1.0))
    queue.learn(done(Job("dear"), 9.0))
    order = [queue.next() for _ in range(4)]
    assert order == [
        Job("dear", ("d1",)),
        Job("dear", ("d2",)),
        Job("cheap", ("c1",)),
        Job("cheap", ("c2",)),
    ]
    assert queue.next() is None


def test_a_vendor_whose_clean_run_is_not_back_yet_is_guessed_as_dear_as_the_dearest() -> None:
    clean = [Job("a"), Job("b"), Job("c")]
    queue = _Queue([*clean, Job("a", ("a1",)), Job("b", ("b1",)), Job("c", ("c1",))])
    assert [queue.next() for _ in clean] == clean
    queue.learn(done(Job("a"), 2.0))
    queue.learn(done(Job("c"), 5.0))
    assert [queue.next() for _ in range(3)] == [
        Job("b", ("b1",)),
        Job("c", ("c1",)),
        Job("a", ("a1",)),
    ]
