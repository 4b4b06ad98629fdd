"""Emulator of the Turris insurance distribution API (document: turris.txt).

Served under /v1: ``POST /auth/jwt`` and ``GET /auth/test-oauth``; agencies, agents and
policies (list, get by ObjectId, create with idempotency keys). Success bodies are the
``{requestId, statusCode, timestamp, data}`` envelope, errors
``{statusCode, requestId, errorType, errorMessage, timestamp}``.

Modules: ``_app`` (routes, idempotent creates, the clean app), ``_auth`` (callers, the
token grant, JWTs), ``_envelope`` (request ids, timestamps, envelopes, errors, rate-limit
headers), ``_data`` (seeded records, credentials, create-body validation) and ``_faults``
(the fault catalog).
"""

from __future__ import annotations

from harness.emulators.turris._app import create_app
from harness.emulators.turris._data import credentials
from harness.emulators.turris._faults import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
