"""Emulator of the Trackops developer API (document: trackops.txt; PUBLIC-FACTS ## Trackops).

Served under ``/api/v1`` (the profile's base URL path), with the paths and shapes of the
vendor's published PHP client (trackops/trackops-client-php) and its reference pages:

* ``GET /clients``, ``/cases``, ``/users``, ``/expense/entries``: bare JSON arrays, newest
  first, ``per_page`` (1..100, larger values clamped to 100), ``page`` (from 1; past the end:
  ``[]``), ``dir`` (asc|desc), ``mode=count`` -> ``{record_count, page_count}``,
  ``from``/``to`` (created; the entry date on expense entries), ``created_from``/``created_to``,
  ``updated_from``/``updated_to`` (date or date-time, URL-encoded), ``id`` and the related
  filters of the reference pages (``client`` on cases, ``user``, ``case`` and ``status`` on
  expense entries). Any other parameter name or a bad value is a 400.
* ``GET /clients/{id}``, ``/cases/{id}``, ``/expense/entries/{id}``; an unknown id or URL is
  a 404.
* ``POST /cases`` with ``{"casefile": {...}}`` creates a case (200, the created case).

Auth is HTTP Basic with user ``{username}/token`` (a Full Access employee) and the company API
token: missing or wrong credentials get 401, a Limited Access employee (``_data.LIMITED_USERNAME``)
gets 403. One request per second per account (fixed 1-second windows on the virtual clock);
more gets 429 ``{"error": ...}`` with no Retry-After (none is documented).

Modules: ``_app`` (the gate, the routes and the clean app), ``_params`` (query
parameters, filters and paging), ``_writes`` (POST cases), ``_data``, ``_expenses`` and
``_seed`` (seeded records, credentials) and ``_faults`` (the fault catalog).
"""

from __future__ import annotations

from harness.emulators.trackops._app import create_app
from harness.emulators.trackops._data import credentials
from harness.emulators.trackops._faults import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
