"""The TuriTop emulator (document turitop.txt, PUBLIC-FACTS: TuriTop).

Served under ``/v1``: ``POST /authorization/{grant,renew,refresh,revoke}``,
``/booking/getbookings``, ``/product/getproducts``, ``/tickets/get``,
``/service/getservices``, ``/booking/tour/insert`` and ``/booking/tour/edit``.
See ``_app`` for the request pipeline, ``_tokens`` for the token lifecycle, ``_ops``
for paging and writes, ``_data`` for the seeded records and ``_catalog`` for the faults.
"""

from __future__ import annotations

from harness.emulators.turitop._app import create_app, credentials
from harness.emulators.turitop._catalog import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
