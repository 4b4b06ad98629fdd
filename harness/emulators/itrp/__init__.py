"""Emulator of the ITRP REST API (shared/vendor-docs/itrp.txt).

Served under /v1: the service root, /me (+ reset_api_token), /requests (CRUD),
/people, /sites, /enums and /account/billing (406). Auth is HTTP Basic with an API
token or email/password, or ``?api_token=``; 3,600 requests an hour per user.

Modules: ``_app`` (routes and the clean app), ``_middleware`` (the cross-cutting layer:
auth, rate limit, .json suffix, Accept, X-ITRP-Account/-Language, ETag, JSON-P),
``_paging`` (page/per_page, Link and X-Pagination-*), ``_common`` (error answers, the
caller), ``_data`` (seeded records, credentials), ``_vocab`` (words, /enums texts) and
``_faults`` (the fault catalog, gathered from ``_faults_*`` modules, one per concern).
"""

from __future__ import annotations

from harness.emulators.itrp._app import create_app
from harness.emulators.itrp._data import credentials
from harness.emulators.itrp._faults import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
