"""Planning a run: which checks run on a target, in which order, and the cases they decide.

A target's plan is every registered check that the vendor's links name, once per
operation it applies to, ordered by the check's ``order``, then its concern (in
:data:`~harness.checks.CONCERNS` order), then its name. A **case** is one (clause,
operation) of the vendor: the verdict on that clause for that operation, decided by the
planned checks linked to it. Planning reads data only (profile, catalog links, registry):
it sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from harness.catalog import Clause
from harness.checks import CONCERNS, CheckSpec, TargetSession, load_all, routing_for
from harness.profiles import Operation
from harness.targets import Target

__all__ = ["CaseKey", "PlannedCheck", "TargetPlan", "plan_target", "planned_checks"]


@dataclass(frozen=True)
class PlannedCheck:
    spec: CheckSpec
    operation: Operation | None

    @property
    def key(self) -> tuple[str, str]:
        return self.spec.name, self.operation.id if self.operation else ""


@dataclass(frozen=True, eq=False)
class CaseKey:
    """One (clause, operation) of a target: what a verdict is about (equal by ids)."""

    clause: Clause
    operation: Operation | None

    @property
    def ids(self) -> tuple[str, str]:
        return self.clause.id, self.operation_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CaseKey) and other.ids == self.ids

    def __hash__(self) -> int:
        return hash(self.ids)

    @property
    def operation_id(self) -> str:
        return self.operation.id if self.operation else ""

    @property
    def label(self) -> str:
        return self.clause.id + (f" [{self.operation.id}]" if self.operation else "")


@dataclass
class TargetPlan:
    """The ordered checks of one target and the cases they decide."""

    target: Target
    checks: list[PlannedCheck]
    cases: dict[CaseKey, list[PlannedCheck]] = field(default_factory=dict)

    def case_position(self, case: CaseKey) -> int:
        """Where in the check order a case is decided: its last check."""
        order = {c.key: i for i, c in enumerate(self.checks)}
        return max(order[c.key] for c in self.cases[case])

    def ordered_cases(self) -> list[CaseKey]:
        """Cases in the order their verdicts become known."""
        return sorted(self.cases, key=self.case_position)


def _rank(concern: str) -> int:
    return CONCERNS.index(concern) if concern in CONCERNS else len(CONCERNS)


def plan_target(
    target: Target,
    concerns: Iterable[str] | None = None,
    *,
    only: Iterable[str] | None = None,
    cases: Iterable[tuple[str, str]] | None = None,
) -> TargetPlan:
    """The plan of one target; ``concerns`` keeps the checks of those concerns (a suite:
    the concern column of ``harness checks``) and the cases they decide, ``only`` the
    named checks, ``cases`` the named (clause id, operation id) cases."""
    registry = load_all()
    routing = routing_for(target.vendor)
    wanted = set(concerns) if concerns else None
    names = set(only) if only else None
    chosen = set(cases) if cases is not None else None
    specs = [
        registry[name]
        for name in routing.checks
        if name in registry
        and (names is None or name in names)
        and (wanted is None or registry[name].concern in wanted)
    ]
    specs.sort(key=lambda s: (s.order, _rank(s.concern), s.name))
    checks: list[PlannedCheck] = []
    found: dict[CaseKey, list[PlannedCheck]] = {}
    for spec in specs:
        for op in spec.operations(target.profile):
            item = PlannedCheck(spec, op)
            used = False
            for clause in routing.clauses_of(spec.name):
                key = CaseKey(clause, op)
                if chosen is not None and key.ids not in chosen:
                    continue
                found.setdefault(key, []).append(item)
                used = True
            if used:
                checks.append(item)
    return TargetPlan(target, checks, found)


def planned_checks(
    session: TargetSession, concerns: tuple[str, ...] | None = None
) -> list[tuple[CheckSpec, Operation | None]]:
    """(check, operation) pairs of a session's target, in run order; with ``concerns``,
    only checks of those concerns (a building block for tests and tools)."""
    plan = plan_target(session.target)
    return [
        (c.spec, c.operation) for c in plan.checks if not concerns or c.spec.concern in concerns
    ]
