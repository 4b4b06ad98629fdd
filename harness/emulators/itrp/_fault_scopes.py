"""Where ITRP faults apply: the operations and requests the fault modules narrow to."""

from __future__ import annotations

from harness.emulators._faults import on_operation
from harness.emulators.itrp import _fault_changes as fx

V1 = "/v1"
KNOWN = tuple(f"{V1}{p}" for p in ("/me", "/requests", "/people", "/sites", "/enums", "/account"))

no_callback = fx.query_has("callback", present=False)
people_list = on_operation("GET", f"{V1}/people")
sites_list = on_operation("GET", f"{V1}/sites")
requests_list = on_operation("GET", f"{V1}/requests")
person_read = on_operation("GET", f"{V1}/people/{{id}}")
create = on_operation("POST", f"{V1}/requests")
