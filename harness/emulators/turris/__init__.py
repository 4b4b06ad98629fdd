"""Emulator of the Turris insurance-compliance API (document: turris.txt; endpoints and
record shapes from the public reference, docs.turrisfi.com).

Served under /v1: ``POST /auth/jwt`` and ``GET /auth/test-oauth``; downstream entity
associations (list, get, licenses, policy compliance, sign-in URL, add, invite) and agents
(list, get, create), writes with idempotency keys. Success bodies are the
``{requestId, statusCode, timestamp, data}`` envelope, errors
``{statusCode, requestId, errorType, errorMessage, timestamp}``.

Modules: ``_app`` (routes, reads, the clean app), ``_writes`` (write bodies, idempotency
keys), ``_auth`` (callers, the token grant, JWTs), ``_envelope`` (request ids, timestamps,
envelopes, errors, rate-limit headers), ``_data`` (seeded records, credentials) and
``_faults`` (the fault catalog, ``FAULTS``, gathered from ``_faults_auth``, ``_faults_token``,
``_faults_envelope`` and ``_faults_wire``).
"""

from __future__ import annotations

from harness.emulators.turris._app import create_app
from harness.emulators.turris._data import credentials
from harness.emulators.turris._faults import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
