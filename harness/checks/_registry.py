"""The registry of named checks.

A check is a small function that verifies one documented behaviour of whatever vendor
its profile describes, and records a :class:`~harness.findings.Finding` through
``ctx.finding(...)`` for each way the target breaks it. It never names a vendor or a
clause: which clauses it verifies for a vendor is data (``schemas/<vendor>/links/*.toml``),
whether it applies is decided from the profile (``applies``, ``requires``)::

    @check("pagination.exactly-once", concern="pagination", per_operation=paged_lists)
    def exactly_once(ctx: CheckContext) -> None:
        '''Walking every page yields each record exactly once.'''
        ...
        ctx.finding("record seen twice", f"id {rid} on pages 1 and 2", exchange)

A check that can break more than one documented promise declares its **aspects**: the
structured names of what a finding is about (``status-422``, ``retry-after``, a filter
name, ...), fixed or computed from the profile. Each finding names its aspect, and the
vendor's links map ``check:aspect`` to a clause (a bare ``check`` takes every aspect not
mapped explicitly); loading fails when an aspect has no clause or a link names an aspect
the check does not declare (:mod:`harness.checks._routing`)::

    @check("errors.body-shape", concern="errors", aspects=error_statuses)
    def body_shape(ctx: CheckContext) -> None:
        ctx.finding("422 body is not the documented shape", text, exchange, aspect="status-422")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.checks._features import FeatureKey
from harness.profiles import Operation, Profile

if TYPE_CHECKING:
    from harness.checks._context import CheckContext

__all__ = ["ALIASES", "CHECKS", "CONCERNS", "CheckSpec", "Needs", "check", "get_check"]

Needs = frozenset[str]  # "writes", "exhaustion", "clock_control", "credential_reset"
CheckFunc = Callable[["CheckContext"], None]
Aspects = tuple[str, ...] | Callable[[Profile], Iterable[str]]
NEEDS = frozenset({"writes", "exhaustion", "clock_control", "credential_reset"})
# The concerns, in the order a run visits them for each target (each check's ``order``
# sorts it within its concern).
CONCERNS = (
    "auth",
    "envelope",
    "errors",
    "fuzz",
    "pagination",
    "ratelimit",
    "token",
    "transport",
    "vendor",
)
_ASPECT = re.compile(r"^[a-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class CheckSpec:
    """A registered check."""

    name: str
    concern: str
    doc: str  # the first line of the check function's docstring
    func: CheckFunc
    applies: Callable[[Profile], str | None]
    per_operation: Callable[[Operation], bool] | None
    needs: Needs
    health: bool
    order: int
    aspects_of: Aspects = ()
    requires: tuple[FeatureKey[Any], ...] = ()
    aliases: tuple[str, ...] = ()

    def operations(self, profile: Profile) -> tuple[Operation | None, ...]:
        """The operations this check runs once for (``(None,)`` when it is not per operation)."""
        if self.per_operation is None:
            return (None,)
        return tuple(op for op in profile.operations if self.per_operation(op))

    def aspects(self, profile: Profile) -> tuple[str, ...]:
        """The aspects its findings can name for this vendor (empty: only the bare link)."""
        found = self.aspects_of(profile) if callable(self.aspects_of) else self.aspects_of
        aspects = tuple(dict.fromkeys(found))
        bad = [a for a in aspects if not _ASPECT.match(a)]
        if bad:
            raise ValueError(f"check {self.name!r}: aspect names {bad} are not of the form a-z0-9")
        return aspects

    def skip_reason(self, profile: Profile) -> str | None:
        """Why the check does not apply to this vendor (None when it does)."""
        for key in self.requires:
            reason = key.applies(profile)
            if reason:
                return reason
        return self.applies(profile)


CHECKS: dict[str, CheckSpec] = {}
# Check ids of an earlier release -> today's id (kept one release; see the README).
ALIASES: dict[str, str] = {}


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
    aspects: Aspects = (),
    requires: tuple[FeatureKey[Any], ...] = (),
    aliases: tuple[str, ...] = (),
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check. ``applies(profile)`` returns None or why the check does not apply;
    ``requires`` names the feature tables it reads (skipped without them); ``aspects``
    what its findings can be about; ``needs`` the ``[allow]`` permissions it requires;
    ``health`` puts it in the scheduled health-check selection; a higher ``order`` runs
    later within its concern (exhaustion last); ``aliases`` are its ids of an earlier
    release."""
    if concern not in CONCERNS:
        raise ValueError(f"check {name!r}: concern={concern!r} is not one of {CONCERNS}")
    unknown = set(needs) - NEEDS
    if unknown:
        raise ValueError(f"check {name!r}: needs {sorted(unknown)} unknown; use {sorted(NEEDS)}")

    def register(func: CheckFunc) -> CheckFunc:
        if name in CHECKS and CHECKS[name].func is not func:
            raise ValueError(f"a check named {name!r} is already registered")
        doc = (func.__doc__ or name).strip().splitlines()[0]
        CHECKS[name] = CheckSpec(
            name,
            concern,
            doc,
            func,
            applies,
            per_operation,
            frozenset(needs),
            health,
            order,
            aspects,
            tuple(requires),
            tuple(aliases),
        )
        for old in aliases:
            if ALIASES.get(old, name) != name:
                raise ValueError(f"alias {old!r} of {name!r} already names {ALIASES[old]!r}")
            ALIASES[old] = name
        return func

    return register


def get_check(name: str) -> CheckSpec:
    from harness.checks import load_all

    load_all()
    try:
        return CHECKS[ALIASES.get(name, name)]
    except KeyError:
        raise KeyError(f"no check named {name!r}; see `harness checks`") from None
