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
token: missing or wrong credentials get 401, a Limited Access employee (``_data.LIMITED_USERNAME``)
gets 403. One request per second per account (fixed 1-second windows on the virtual clock);
more gets 429 ``{"error": ...}`` with no Retry-After (none is documented).

Modules: ``_app`` (the gate, the routes and the clean app), ``_params`` (query
parameters, filters and paging), ``_data`` (seeded records, credentials) and ``_faults``
(the fault catalog).
"""

from __future__ import annotations

from harness.emulators.trackops._app import create_app
from harness.emulators.trackops._data import credentials
from harness.emulators.trackops._faults import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
