"""The TuriTop emulator's faults: each breaks exactly one clause of clauses.toml.

Switch faults (the app consults them by name) are in ``_faults_switches``, middleware
faults on the wire in ``_faults_wire`` and on records in ``_faults_records``.
"""

from __future__ import annotations

from harness.emulators._faults import Fault
from harness.emulators.turitop._faults_records import RECORD_FAULTS
from harness.emulators.turitop._faults_switches import SWITCH_FAULTS
from harness.emulators.turitop._faults_wire import WIRE_FAULTS

FAULTS: tuple[Fault, ...] = (*SWITCH_FAULTS, *WIRE_FAULTS, *RECORD_FAULTS)
