"""``POST cases``: creating a case from a ``{"casefile": {...}}`` JSON body, as the vendor's
PHP client sends it (trackops/trackops-client-php, examples/create_case_example.php, with
``post()`` of src/Api/GuzzleRequest.php sending the array as a JSON body).

What the client does not show is ASSUMED: the answer is 200 (the document's typical
status) with the created case, and a body that is not a JSON object with a ``casefile``
object naming a ``case_type_id`` and a ``client_id`` (positive integers) is a 400. Referenced
ids are not looked up (the client's own sample ids are placeholders); a known client is
nested under ``Client``. The case is attributed to the employee of the credentials (the
document's history-log note).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import json_response
from harness.emulators.trackops._data import USERNAME, Dataset, Record, render
from harness.emulators.trackops._seed import ref

REQUIRED_IDS = ("case_type_id", "client_id")
# casefile fields kept on the created case as sent (the client's example body)
KEPT = (
    "case_type_id",
    "client_id",
    "primary_contact_id",
    "case_region_id",
    "company_location_id",
    "created_on",
    "due_on",
    "reference_value_1",
    "reference_value_2",
    "reference_value_3",
    "case_location",
    "budget_money",
    "budget_hours",
    "notes",
    "scheduling_notes",
    "admin_notes",
    "case_services_list",
    "case_flags_list",
    "custom_fields",
    "subjects",
)
Refuse = Callable[[int, str], Response]


def _casefile(raw: bytes) -> dict[str, Any] | str:
    """The casefile of a create body, or why the body is refused."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return "The request body is not valid JSON"
    casefile = body.get("casefile") if isinstance(body, dict) else None
    if not isinstance(casefile, dict):
        return 'The request body must be a JSON object {"casefile": {...}}'
    for name in REQUIRED_IDS:
        value = casefile.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return f"casefile.{name} is required: the id of an existing record (an integer)"
    return casefile


def create_case(
    ctx: EmulatorContext, data: Dataset, refuse: Refuse, plus_two: Callable[[], bool]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        casefile = _casefile(await request.body())
        if isinstance(casefile, str):
            return refuse(400, casefile)
        now = ctx.clock.now()
        number = len(data.cases) + 1
        client = data.by_id["clients"].get(casefile["client_id"])
        record: Record = {
            "id": max(data.by_id["cases"], default=1500) + 1,
            "case_number": f"{datetime.fromtimestamp(now, tz=UTC):%y}-{number:05d}",
            "case_type": f"Case type {casefile['case_type_id']}",
            "status": "New",
            **{k: casefile[k] for k in KEPT if k in casefile},
            "Client": ref(client) if client else {"id": casefile["client_id"]},
            "User": ref(data.users_by_name[USERNAME]),
            "_created": now,
            "_updated": now,
        }
        data.cases.append(record)
        data.by_id["cases"][record["id"]] = record
        return json_response(ctx, render(record, plus_two()))

    return endpoint
