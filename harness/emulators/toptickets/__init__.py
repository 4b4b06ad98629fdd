"""TopTickets emulator: bearer API keys with tiers, offset/limit over bare arrays,
FastAPI-style errors, ticket CRUD and an OpenAPI 3.1 document (toptickets.txt).

Modules: ``_data`` (seeded records), ``_keys`` (keys, scopes), ``_params`` (validation),
``_app`` (routes), ``_openapi`` / ``_docs`` (the API description), ``_catalog`` (faults).
"""

from __future__ import annotations

from harness.emulators.toptickets._app import create_app
from harness.emulators.toptickets._catalog import FAULTS
from harness.emulators.toptickets._keys import credentials

__all__ = ["FAULTS", "create_app", "credentials"]
