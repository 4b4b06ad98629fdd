"""Emulator of the TopTickets API (toptickets.txt): bearer API keys with tiers and scopes,
offset/limit over bare arrays, FastAPI-style errors, ticket CRUD and an OpenAPI 3.1
document (with a docs page).

Modules: ``_app`` (routes and the clean app), ``_params`` (query and body validation),
``_openapi`` / ``_docs`` (the API description and its HTML page), ``_data`` (seeded
records, API keys, credentials) and ``_faults`` (the fault catalog).
"""

from __future__ import annotations

from harness.emulators.toptickets._app import create_app
from harness.emulators.toptickets._data import credentials
from harness.emulators.toptickets._faults import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
