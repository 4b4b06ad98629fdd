"""The engine: plans targets x checks x operations, runs them, emits typed events.

Every way of running checks goes through :class:`Engine`: ``harness run`` and the
reporters, the pytest plugin (one test per case, asking :meth:`Engine.verdict`),
``harness selftest`` and the monitor. It alone opens and closes target sessions.

Per target, checks run in plan order whoever asks: asking for a case's verdict runs
every planned check of that target up to the case's last one, so results do not depend
on which consumer drives the run or in which order it asks. Targets run side by side,
one thread per origin (:mod:`harness.engine.parallel`), unless ``jobs=1``; listeners get
the events in a serial run's order, so every report is the same either way.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence

import httpx

from harness.checks import CONCERNS, SessionOptions, load_all
from harness.engine.bus import EventBus, Listener, OrderedLanes
from harness.engine.events import CaseVerdict, RunFinished, RunStarted
from harness.engine.outcome import CheckResult
from harness.engine.parallel import Workers
from harness.engine.plan import CaseKey, plan_target
from harness.engine.target_run import TargetRun
from harness.errors import HarnessError
from harness.targets import Target
from harness.validation import SchemaStore, default_store

__all__ = ["Engine", "EventBus", "Listener", "TargetRun", "checks_of_concerns"]


def checks_of_concerns(concerns: Iterable[str]) -> tuple[str, ...]:
    """The names of the registered checks of these concerns (a suite: ``harness run
    --suite fuzz``, ``harness selftest --concern fuzz``), as ``harness checks`` groups them."""
    wanted = set(concerns)
    return tuple(name for name, spec in sorted(load_all().items()) if spec.concern in wanted)


class Engine:
    """Runs the plan of each target and tells the listeners what happens."""

    def __init__(
        self,
        targets: Sequence[Target],
        *,
        concerns: Iterable[str] | None = None,
        only: Iterable[str] | None = None,
        cases: Mapping[int, Iterable[tuple[str, str]]] | None = None,
        options: SessionOptions | None = None,
        transport: httpx.BaseTransport | None = None,
        listeners: Iterable[Listener] = (),
        store: SchemaStore | None = None,
        jobs: int | None = None,
    ) -> None:
        """``concerns``: a suite, run exactly the checks of these concerns and the cases
        they decide (each judged by those checks only); ``only``: these checks;
        ``cases``: per target index, these (clause id, operation id) cases. ``jobs``: how
        many targets may run at once (default: all of them, one thread per origin; 1:
        one after another in the caller's thread). A selection that leaves no check on
        any target is refused (HarnessError naming the suites that have checks there)."""
        if jobs is not None and jobs < 1:
            raise HarnessError(f"jobs={jobs}: expected 1 or more targets at once (1 = serial)")
        self.targets = list(targets)
        self.bus = EventBus(listeners, background=True)
        self.jobs = jobs
        store = store or default_store()  # loaded once here, shared by every thread
        concerns = tuple(concerns) if concerns else None
        only = tuple(only) if only else None
        if concerns is not None:
            suite = checks_of_concerns(concerns)
            only = tuple(n for n in only if n in suite) if only is not None else suite
        options = options or SessionOptions()
        plans = [
            plan_target(
                t,
                only=only,
                # plan_target reads no checks as every check: no case left instead
                cases=() if only == () else None if cases is None else cases.get(i, ()),
            )
            for i, t in enumerate(self.targets)
        ]
        if concerns is not None and self.targets and not any(p.checks for p in plans):
            raise HarnessError(_nothing_selected(concerns, self.targets))
        self.runs = [
            TargetRun(plan, self.bus, options=options, transport=transport, store=store)
            for plan in plans
        ]
        self.started = time.time()
        self._announced = False
        self._finished: RunFinished | None = None
        self._background: Workers | None = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def listen(self, listener: Listener) -> None:
        self.bus.listeners.append(listener)

    def start(self) -> None:
        """Announce the run (once)."""
        if not self._announced:
            self._announced = True
            self.started = time.time()
            self.bus.emit(RunStarted(tuple(self.targets), self.started))

    @property
    def parallel(self) -> bool:
        """Whether targets run side by side (several origins, ``jobs`` not 1)."""
        return self.jobs != 1 and len({t.origin for t in self.targets}) > 1

    def run(self) -> RunFinished:
        """Run every target's plan and return (and emit) the run's end."""
        self.start()
        if not self.parallel:
            for run in self.runs:
                try:
                    run.run_all()
                finally:
                    run.close()
            return self.finish()
        lanes = OrderedLanes(self.bus, len(self.runs))
        for run, lane in zip(self.runs, lanes.lanes, strict=True):
            run.bus = lane

        def work(run: TargetRun, index: int) -> None:
            try:
                run.run_all()
            finally:
                run.close()
                lanes.lanes[index].close()

        workers = Workers(self.runs, work, self.jobs).start()
        try:
            workers.join()
        finally:
            lanes.close_all()
            for run in self.runs:
                run.bus = self.bus
        workers.raise_first()
        return self.finish()

    def run_in_background(self) -> None:
        """Start working through every target's plan in threads (one per origin) and
        return; :meth:`verdict` then waits for, or runs, the checks a case needs. For
        consumers that ask case by case (the pytest plugin). Does nothing when the run
        is not :attr:`parallel`."""
        if self._background is not None or not self.parallel:
            return
        self.start()

        def work(run: TargetRun, index: int) -> None:
            run.run_all()

        self._background = Workers(self.runs, work, self.jobs).start()

    def verdict(self, index: int, case: CaseKey) -> CaseVerdict:
        """The verdict of one case of target ``index`` (for one-test-per-case consumers)."""
        self.start()
        return self.runs[index].verdict(case)

    @property
    def results(self) -> list[CheckResult]:
        return [r for run in self.runs for r in run.results.values()]

    @property
    def verdicts(self) -> list[CaseVerdict]:
        return [v for run in self.runs for v in run.verdicts.values()]

    @property
    def setup_errors(self) -> list[str]:
        return [run.failure for run in self.runs if run.failure]

    def finish(self) -> RunFinished:
        """Close every session and emit the run's end (once)."""
        if self._finished is None:
            if self._background is not None:
                self._background.stop()  # every case that was asked for is decided
            for run in self.runs:
                run.close()
            self._finished = RunFinished(
                started=self.started,
                finished=time.time(),
                results=tuple(self.results),
                cases=tuple(self.verdicts),
                setup_errors=tuple(self.setup_errors),
            )
            try:
                self.bus.emit(self._finished)
            finally:
                self.bus.close()  # every listener has had every event
        return self._finished

    def close(self) -> None:
        self.finish()


def _nothing_selected(concerns: Sequence[str], targets: Sequence[Target]) -> str:
    """One line: the suites asked for, and those that have checks on these targets."""
    having = {c.spec.concern for t in targets for c in plan_target(t).checks}
    valid = [c for c in CONCERNS if c in having]
    vendors = ", ".join(dict.fromkeys(t.vendor for t in targets))
    return (
        f"suite {', '.join(concerns)} selects no check of {vendors}; "
        f"suites with checks there: {', '.join(valid) or 'none'}"
    )
