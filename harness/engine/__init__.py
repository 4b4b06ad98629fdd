"""The one execution core: plan (targets x checks x operations), run, emit typed events.

``harness run``, the pytest plugin, ``harness selftest`` and the monitor all drive an
:class:`Engine`; reporters consume its :mod:`events <harness.engine.events>`. The
building blocks (:func:`open_session`, :func:`run_check`, :func:`planned_checks`) serve
tests and benchmarks.
"""

from __future__ import annotations

from harness.engine.bus import EventBus
from harness.engine.events import (
    CaseFinished,
    CaseVerdict,
    CheckFinished,
    CheckStarted,
    Event,
    ExchangeRecorded,
    ExchangeView,
    RunFinished,
    RunStarted,
    TargetFailed,
    TargetFinished,
    TargetStarted,
)
from harness.engine.outcome import UNAVAILABLE, CheckResult, Outcome, not_run, run_check
from harness.engine.plan import CaseKey, PlannedCheck, TargetPlan, plan_target, planned_checks
from harness.engine.run import Engine, Listener, TargetRun
from harness.engine.session import EmulatorClock, open_session

__all__ = [
    "UNAVAILABLE",
    "CaseFinished",
    "CaseKey",
    "CaseVerdict",
    "CheckFinished",
    "CheckResult",
    "CheckStarted",
    "EmulatorClock",
    "Engine",
    "Event",
    "EventBus",
    "ExchangeRecorded",
    "ExchangeView",
    "Listener",
    "Outcome",
    "PlannedCheck",
    "RunFinished",
    "RunStarted",
    "TargetFailed",
    "TargetFinished",
    "TargetPlan",
    "TargetRun",
    "TargetStarted",
    "not_run",
    "open_session",
    "plan_target",
    "planned_checks",
    "run_check",
]
