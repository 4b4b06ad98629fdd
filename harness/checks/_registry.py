"""The registry of named checks.

A check is a small function that verifies one documented behaviour of whatever vendor
its profile describes, and records a :class:`~harness.findings.Finding` through
``ctx.finding(...)`` for each way the target breaks it. It never names a vendor:
which clauses it verifies for a vendor is data (``schemas/<vendor>/links/*.toml``),
and whether it applies is decided from the profile (``applies``)::

    @check("pagination.exactly-once", concern="pagination", per_operation=paged_lists)
    def exactly_once(ctx: CheckContext) -> None:
        '''Walking every page yields each record exactly once.'''
        ...
        ctx.finding("record seen twice", f"id {rid} on pages 1 and 2", exchange)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.profiles import Operation, Profile

if TYPE_CHECKING:
    from harness.checks._context import CheckContext

__all__ = ["CHECKS", "CheckSpec", "Needs", "check", "get_check"]

Needs = frozenset[str]  # "writes", "exhaustion", "clock_control"
CheckFunc = Callable[["CheckContext"], None]
NEEDS = frozenset({"writes", "exhaustion", "clock_control"})
CONCERNS = (
    "envelope",
    "errors",
    "auth",
    "token",
    "pagination",
    "rate-limit",
    "transport",
    "vendor",
    "fuzz",
)


@dataclass(frozen=True)
class CheckSpec:
    """A registered check."""

    name: str
    concern: str
    summary: str
    func: CheckFunc
    applies: Callable[[Profile], str | None]
    per_operation: Callable[[Operation], bool] | None
    needs: Needs
    health: bool
    order: int

    def operations(self, profile: Profile) -> tuple[Operation | None, ...]:
        """The operations this check runs once for (``(None,)`` when it is not per operation)."""
        if self.per_operation is None:
            return (None,)
        return tuple(op for op in profile.operations if self.per_operation(op))


CHECKS: dict[str, CheckSpec] = {}


def _always(profile: Profile) -> str | None:
    return None


def check(
    name: str,
    *,
    concern: str,
    applies: Callable[[Profile], str | None] = _always,
    per_operation: Callable[[Operation], bool] | None = None,
    needs: tuple[str, ...] = (),
    health: bool = False,
    order: int = 0,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check. ``applies(profile)`` returns None or why the check does not apply;
    ``needs`` names the ``[allow]`` permissions it requires; ``health`` puts it in the
    scheduled health-check selection; a higher ``order`` runs later (exhaustion last)."""
    if concern not in CONCERNS:
        raise ValueError(f"check {name!r}: concern={concern!r} is not one of {CONCERNS}")
    unknown = set(needs) - NEEDS
    if unknown:
        raise ValueError(f"check {name!r}: needs {sorted(unknown)} unknown; use {sorted(NEEDS)}")

    def register(func: CheckFunc) -> CheckFunc:
        if name in CHECKS and CHECKS[name].func is not func:
            raise ValueError(f"a check named {name!r} is already registered")
        summary = (func.__doc__ or name).strip().splitlines()[0]
        CHECKS[name] = CheckSpec(
            name, concern, summary, func, applies, per_operation, frozenset(needs), health, order
        )
        return func

    return register


def get_check(name: str) -> CheckSpec:
    from harness.checks import load_all

    load_all()
    try:
        return CHECKS[name]
    except KeyError:
        raise KeyError(f"no check named {name!r}; see `harness checks`") from None
