"""Emulator of the ITRP REST API (shared/vendor-docs/itrp.txt).

Served under /v1: the service root, /me (+ reset_api_token), /requests (CRUD),
/people, /sites, /enums and /account/billing (406). Cross-cutting behaviour
(auth, hourly rate limit, .json suffix, Accept, X-ITRP-Account/-Language, ETag,
JSON-P) lives in ``_middleware``; the seeded records in ``_data``.
"""

from __future__ import annotations

from starlette.types import ASGIApp

from harness.emulators._base import EmulatorContext
from harness.emulators.itrp._app import build_starlette
from harness.emulators.itrp._data import API_TOKEN, EMAIL, PASSWORD, seed_store
from harness.emulators.itrp._faults import FAULTS
from harness.emulators.itrp._middleware import ItrpLayer

__all__ = ["FAULTS", "create_app", "credentials"]


def credentials() -> dict[str, str]:
    """The seeded user's credentials for all three auth schemes."""
    return {"api_token": API_TOKEN, "email": EMAIL, "password": PASSWORD}


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean ITRP app (faults are switched by ``ctx`` or wrapped by build_app)."""
    store = seed_store(ctx)
    return ItrpLayer(build_starlette(ctx, store), ctx, store)
