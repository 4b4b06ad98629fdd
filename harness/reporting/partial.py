"""Whether a run checked enough to give a verdict: a report never claims more than was checked.

A run is *partial* when, for some vendor, a check was not run because the request budget
ran out, or more than ``max_skipped`` of its checks were skipped (for any reason: a
permission not granted, a feature the target lacks, nothing to test with). A partial run
says so on its summary line and in results.json, and exits 2 (could not check enough)
unless the user allows it (``harness run --allow-partial``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["DEFAULT_MAX_SKIPPED", "CheckOutcome", "partial_reasons"]

DEFAULT_MAX_SKIPPED = 0.5  # a vendor with more than half its checks skipped was not checked


class CheckOutcome(Protocol):
    """What the assessment reads of a check result."""

    @property
    def vendor(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def budget_exhausted(self) -> bool: ...


@dataclass
class _Tally:
    checks: int = 0
    skipped: int = 0
    unfunded: int = 0  # skipped because the request budget ran out


def partial_reasons(
    results: Iterable[CheckOutcome], max_skipped: float = DEFAULT_MAX_SKIPPED
) -> list[str]:
    """Why the run is partial, one reason per vendor (empty: the run checked enough)."""
    tallies: dict[str, _Tally] = {}
    for result in results:
        tally = tallies.setdefault(result.vendor, _Tally())
        tally.checks += 1
        if result.outcome == "skipped":
            tally.skipped += 1
            tally.unfunded += bool(result.budget_exhausted)
    reasons = []
    for vendor, t in tallies.items():
        share = t.skipped / t.checks
        if t.unfunded:
            reasons.append(
                f"{vendor}: the request budget ran out; {t.unfunded} of {t.checks} checks "
                "were not run (raise [budget] max_requests)"
            )
        elif share > max_skipped:
            reasons.append(
                f"{vendor}: {t.skipped} of {t.checks} checks skipped ({share:.0%}, more than "
                f"the {max_skipped:.0%} allowed; see `harness run -v` for why)"
            )
    return reasons
