"""Emulator of the TuriTop API (document turitop.txt, PUBLIC-FACTS: TuriTop).

Served under ``/v1``: ``POST /authorization/{grant,renew,refresh,revoke}``,
``/booking/getbookings``, ``/product/getproducts``, ``/tickets/get``,
``/service/getservices``, ``/product/getcalendardata``, ``/product/tour/getevents``,
``/product/tour/getavailable``, ``/product/checkpromocode``,
``/product/tour/insertindividualevents``, ``/booking/tour/insert`` and
``/booking/tour/edit`` (the calls of the vendor's WordPress plugin among them); every
operation is a POST with a JSON body and answers the ``{status, code, message, details,
data}`` envelope.

Modules: ``_app`` (the request pipeline and the clean app), ``_tokens`` (the token
lifecycle), ``_operations`` (paging and reads), ``_bookings`` (booking writes),
``_events`` (departures, availability, promo codes), ``_envelope`` (SUCCESS/ERROR bodies),
``_data`` and ``_products`` (seeded records, credentials) and ``_faults`` (the fault
catalog).
"""

from __future__ import annotations

from harness.emulators.turitop._app import create_app
from harness.emulators.turitop._data import credentials
from harness.emulators.turitop._faults import FAULTS

__all__ = ["FAULTS", "create_app", "credentials"]
