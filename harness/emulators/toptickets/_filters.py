"""The ticket list's filters, all combined with AND.

toptickets.txt (Filtering) shows status, priority and search; the public reference
(toptickets.pages.dev/guides/filtering-search) adds assigned_user_id, assigned_team_id,
customer_id (UUIDs), category (text) and unassigned (boolean: tickets with neither an agent
nor a team). Malformed values are collected as 422 problems, as FastAPI validates them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from harness.emulators.toptickets import _fault_switches as f
from harness.emulators.toptickets import _params as params
from harness.emulators.toptickets._data import PRIORITIES, STATUSES, Record

Test = Callable[[Record], bool]
Active = Callable[[str], bool]
_REFERENCES = ("assigned_user_id", "assigned_team_id", "customer_id")


@dataclass
class TicketFilters:
    """The filters of one ticket list call; ``either`` makes status OR priority (a fault)."""

    tests: list[Test]
    status: str | None = None
    priority: str | None = None
    either: bool = False
    searched: bool = False
    fault: Active = lambda name: False

    def _status_is(self, ticket: Record) -> bool:
        if self.status == "closed" and self.fault(f.STATUS_CLOSED_WITH_RESOLVED):
            return ticket["status"] in ("closed", "resolved")
        return bool(ticket["status"] == self.status)

    def _priority_is(self, ticket: Record) -> bool:
        if self.priority == "urgent" and self.fault(f.PRIORITY_URGENT_WITH_HIGH):
            return ticket["priority"] in ("urgent", "high")
        return bool(ticket["priority"] == self.priority)

    def keep(self, ticket: Record) -> bool:
        if self.status is not None and self.priority is not None and self.either:
            if not self._status_is(ticket) and not self._priority_is(ticket):
                return False
        else:
            if self.status is not None and not self._status_is(ticket):
                return False
            if self.priority is not None and not self._priority_is(ticket):
                return False
        return all(test(ticket) for test in self.tests)

    def apply(self, tickets: list[Record]) -> list[Record]:
        kept = [t for t in tickets if self.keep(t)]
        if not kept and self.searched and self.fault(f.SEARCH_FALLBACK):
            return tickets  # "no results" falls back to the unfiltered list
        return kept


def _equals(name: str, value: str) -> Test:
    return lambda ticket: ticket.get(name) == value


def _matches(needle: str) -> Test:
    folded = needle.casefold()
    return lambda t: (
        folded in t["subject"].casefold() or folded in (t["description"] or "").casefold()
    )


def _unassigned(ticket: Record) -> bool:
    return ticket["assigned_user_id"] is None and ticket["assigned_team_id"] is None


def ticket_filters(request: Request, problems: params.Problems, fault: Active) -> TicketFilters:
    """The filters a ticket list request asks for (problems collected for the 422)."""
    found = TicketFilters(tests=[], either=fault(f.FILTERS_OR), fault=fault)
    lenient = fault(f.ENUM_FILTER_EMPTY)
    found.status = params.choice(request, "status", STATUSES, problems, lenient=lenient)
    found.priority = params.choice(request, "priority", PRIORITIES, problems, lenient=lenient)
    for name in _REFERENCES:
        value = params.uuid(request, name, problems)
        if value is not None:
            found.tests.append(_equals(name, value))
    category = params.single(request, "category", problems)
    if category is not None:
        found.tests.append(_equals("category", category))
    if params.boolean(request, "unassigned", problems):
        found.tests.append(_unassigned)
    search = params.single(request, "search", problems)
    if search:
        found.tests.append(_matches(search))
        found.searched = True
    return found
