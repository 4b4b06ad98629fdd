"""Turris faults on the envelope's request metadata: the requestId and timestamp of success
bodies. Each keeps the field present (a missing envelope field is a shape problem, the
success-shape clause's) and leaves error bodies alone (their fields are the error shape's),
so only the metadata clause breaks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from harness.emulators._faults import Fault, json_field, on_operation, on_status, on_success

LIST = on_operation("GET", "/v1/downstream-entity-associations")
GRANT = on_operation("POST", "/v1/auth/jwt")
LOCAL = timezone(timedelta(hours=2))


def _epoch_millis(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return round(moment.timestamp() * 1000)


def _local_time(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(LOCAL)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{moment.microsecond // 1000:03d}+02:00"


ENVELOPE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "turris-request-id-empty-on-201",
        "TRS-ENV-REQUESTID",
        "201 Created bodies (the token grant, creates) carry an empty requestId; 200 and "
        "error bodies keep theirs",
        json_field("requestId", lambda v: "", when=on_status(201)),
    ),
    Fault(
        "turris-request-id-null-on-association-list",
        "TRS-ENV-REQUESTID",
        "the association list answers requestId null (its handler bypasses the request-id "
        "middleware); every other response keeps it",
        json_field("requestId", lambda v: None, when=on_success & LIST),
    ),
    Fault(
        "turris-timestamp-epoch-millis",
        "TRS-ENV-TIMESTAMP",
        "success bodies give the envelope timestamp as epoch milliseconds (an integer) "
        "instead of an ISO 8601 UTC string; error bodies keep the ISO form",
        json_field("timestamp", _epoch_millis, when=on_success),
    ),
    Fault(
        "turris-timestamp-local-time-on-grant",
        "TRS-ENV-TIMESTAMP",
        "the token grant's envelope timestamp is in server local time (+02:00) instead of "
        "UTC; every other response is UTC",
        json_field("timestamp", _local_time, when=GRANT & on_status(201)),
    ),
)
