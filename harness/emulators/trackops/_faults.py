"""The Trackops faults: each breaks exactly one clause of schemas/trackops/clauses.toml.

Switch faults are behaviours the app consults (``ctx.fault(NAME)``, names in
``_switches``); the others rewrite responses from outside. The catalog is split by area:
``_faults_access`` (auth, rate limit), ``_faults_responses`` (JSON, statuses, errors,
timestamps) and ``_faults_paging`` (paging, parameters, filters, collections).
"""

from __future__ import annotations

from harness.emulators._faults import Fault
from harness.emulators.trackops._faults_access import FAULTS as ACCESS
from harness.emulators.trackops._faults_paging import FAULTS as PAGING
from harness.emulators.trackops._faults_responses import FAULTS as RESPONSES
from harness.emulators.trackops._switches import *  # noqa: F403  (the switch names)

FAULTS: tuple[Fault, ...] = (*ACCESS, *RESPONSES, *PAGING)
