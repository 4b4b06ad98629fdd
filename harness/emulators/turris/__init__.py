"""Emulator of the Turris insurance distribution API (document: turris.txt).

See ``_app`` for the routes, auth and limits, ``_records`` for the seeded data,
``_wire`` for the envelope, errors and tokens and ``_catalog`` for the faults.
"""

from __future__ import annotations

from harness.emulators.turris._app import create_app, credentials
from harness.emulators.turris._catalog import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
