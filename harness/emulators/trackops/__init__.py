"""Emulator of the Trackops developer API (document: trackops.txt; PUBLIC-FACTS ## Trackops).

Served under ``/api/v1`` (the profile's base URL path), read-only:

* ``GET /clients``, ``/cases``, ``/users``, ``/expenses``: bare JSON arrays, newest first,
  ``per_page`` (1..100, larger values clamped to 100), ``page`` (from 1; past the end: ``[]``),
  ``dir`` (asc|desc), ``mode=count`` -> ``{record_count, page_count}``, ``from``/``to``
  (created) and ``updated_from``/``updated_to`` (date or date-time, URL-encoded), plus a
  related-record filter (``client_id`` on cases, ``case_id`` on expenses, ``user_id``).
  Any other parameter name or a bad value is a 400.
* ``GET /clients/{id}``, ``/cases/{id}``; an unknown id or URL is a 404.

Auth is HTTP Basic with user ``{username}/token`` (a Full Access employee) and the company API
token: missing or wrong credentials get 401, a Limited Access employee (``LIMITED_USERNAME``)
gets 403. One request per second per account (fixed 1-second windows on the virtual clock);
more gets 429 ``{"error": ...}`` with no Retry-After (none is documented).
"""

from __future__ import annotations

from starlette.types import ASGIApp

from harness.emulators._base import EmulatorContext
from harness.emulators._faults import Fault
from harness.emulators.trackops._app import create_trackops_app
from harness.emulators.trackops._data import API_TOKEN, LIMITED_USERNAME, USERNAME, build_dataset

__all__ = ["FAULTS", "LIMITED_USERNAME", "create_app", "credentials"]

FAULTS: tuple[Fault, ...] = (
    Fault(
        "trackops-auth-missing-accepted",
        "TRK-AUTH-MISSING",
        "a request without an Authorization header is served (as the default employee), not 401",
    ),
    Fault(
        "trackops-auth-any-token",
        "TRK-AUTH-BAD-TOKEN",
        "a known '{username}/token' user is let in whatever API token comes with it",
    ),
    Fault(
        "trackops-auth-limited-allowed",
        "TRK-AUTH-FULL-ACCESS-ONLY",
        "a Limited Access employee with the company token is served instead of refused with 403",
    ),
    Fault(
        "trackops-rate-limit-off",
        "TRK-RL-429",
        "the 1 request/second limit is not enforced: requests in the same second never get 429",
    ),
    Fault(
        "trackops-per-page-uncapped",
        "TRK-PAGE-MAX-100",
        "per_page above 100 is honoured: a page can hold more than 100 records",
    ),
    Fault(
        "trackops-default-sort-ascending",
        "TRK-PAGE-DEFAULT-DESC",
        "without dir, collections come oldest first (dir=asc and dir=desc still work)",
    ),
    Fault(
        "trackops-pages-overlap",
        "TRK-PAGE-PAGE",
        "pages after the first start one record early: the last record of page n repeats on "
        "n+1 and the oldest record is never served (page sizes and counts unchanged)",
    ),
    Fault(
        "trackops-timestamps-plus-two",
        "TRK-TIME-UTC",
        "created/updated are served in the server's zone (+02:00) instead of UTC",
    ),
    Fault(
        "trackops-invalid-params-ignored",
        "TRK-PARAM-INVALID-400",
        "unknown parameter names and bad values (dir=sideways, per_page=abc) are silently "
        "ignored (defaults used) instead of 400",
    ),
)


def credentials() -> dict[str, str]:
    """The seeded Full Access employee, the company API token, and a Limited Access
    employee (for the optional ``limited-basic`` scheme, which must be refused)."""
    return {"username": USERNAME, "api_token": API_TOKEN, "limited_username": LIMITED_USERNAME}


def create_app(ctx: EmulatorContext) -> ASGIApp:
    """The clean Trackops app (faults are switches it consults through ``ctx.fault``)."""
    return create_trackops_app(ctx, build_dataset(ctx))
