"""What the fuzz checks share: how many requests each operation gets, deterministic
hypothesis generation, and the aspects a fuzz finding is about.

**Budget.** Each fuzzed operation gets the run's ``max_examples`` requests
(``ctx.session.options.max_examples``, default :data:`DEFAULT_MAX_EXAMPLES`), fewer on a
live target whose rate limit would make the run wait, and never more than three
quarters of what is left of the request budget.

**Aspects.** Each generic fuzz check judges one invariant (its *role*): the status, the
refusal of invalid values, the error body, the success body (its shape, ids,
timestamps), the media type. Its findings name that check's own aspects (a parameter
``param-<name>``, an error ``status-<code>`` or ``field-<name>``, a ``list`` or an
``object`` body). ``fuzz.openapi`` and ``fuzz.write-bodies`` judge the same invariants
with the same judges; their aspects are the role's, prefixed with the role's name
(``invalid-refused.param-limit``, ``error-bodies.status-422``), plus the bare role name
(``error-bodies``) where a finding of the role can be about nothing more specific.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import read_operations
from harness.checks.errors._common import body_aspects, declared_aspects
from harness.checks.errors._features import invalid_params_of
from harness.checks.fuzz.parameters import id_names
from harness.checks.openapi._features import OPENAPI
from harness.profiles import Operation, Profile

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "LATE_ORDER",
    "ORDER",
    "ROLES",
    "collect",
    "examples_per_operation",
    "finding_aspects",
    "fuzzable",
    "max_examples",
    "mirrored",
    "refusal_aspects",
]

DEFAULT_MAX_EXAMPLES = 25
# After the checks that judge every recorded exchange (80-85), before exhaustion (90+):
# the fuzz traffic is judged by the fuzz checks alone.
ORDER = 88
# The generation-heavy check (schemathesis over the OpenAPI document: seconds of hypothesis
# drawing) after the cheap ones, so what those find is known first.
LATE_ORDER = ORDER + 1
# On a live target with a pacing rate limit: roughly how long fuzzing may make a run wait.
LIVE_SECONDS = 30

STATUS = "fuzz.documented-status"
INVALID = "fuzz.invalid-refused"
ERROR_BODIES = "fuzz.error-bodies"
SHAPE = "fuzz.success-shape"
IDS = "fuzz.success-ids"
TIMESTAMPS = "fuzz.success-timestamps"
JSON = "fuzz.json-responses"
SHAPE_ASPECTS = ("list", "object")


# ---------------------------------------------------------------- aspects
def refusal_aspects(profile: Profile) -> tuple[str, ...]:
    """``param-<name>`` for each parameter ``[features.invalid_params] refused_params``
    names (none where the refusal rule is about every parameter)."""
    return tuple(f"param-{name}" for name in invalid_params_of(profile).refused_params or ())


def _no_aspects(profile: Profile) -> tuple[str, ...]:
    return ()


def _shape_aspects(profile: Profile) -> tuple[str, ...]:
    return SHAPE_ASPECTS


# the generic check of each invariant -> the aspects its findings can name
ROLES: dict[str, Callable[[Profile], tuple[str, ...]]] = {
    STATUS: _no_aspects,
    INVALID: refusal_aspects,
    ERROR_BODIES: body_aspects,
    SHAPE: _shape_aspects,
    IDS: _no_aspects,
    TIMESTAMPS: _no_aspects,
    JSON: _no_aspects,
}


def _catch_all(profile: Profile, role: str) -> bool:
    """Whether a finding of ``role`` can be about none of its aspects (its bare link)."""
    if role == SHAPE:
        return False  # always about a list or an object
    if role == INVALID:
        return invalid_params_of(profile).refused_params is None
    return True


def mirrored(profile: Profile, role: str, only: Collection[str] | None = None) -> tuple[str, ...]:
    """The aspects of ``role`` as a check judging it on the side names them (restricted to
    the role's aspects in ``only``)."""
    short = role.removeprefix("fuzz.")
    own = [f"{short}.{a}" for a in ROLES[role](profile) if only is None or a in only]
    return (*own, *((short,) if _catch_all(profile, role) else ()))


def finding_aspects(
    ctx: CheckContext, role: str, specific: Sequence[str], check: str | None = None
) -> tuple[str, ...]:
    """The aspects a finding of ``check`` (this one by default) about ``specific`` aspects
    of ``role`` names, most specific first, restricted to those it declares."""
    name = check or ctx.check
    declared = declared_aspects(ctx, name)
    if name == role:
        named: tuple[str, ...] = tuple(specific)
    else:
        short = role.removeprefix("fuzz.")
        named = (*(f"{short}.{a}" for a in specific), short)
    return tuple(a for a in named if a in declared)


# ---------------------------------------------------------------- budget
def max_examples(ctx: CheckContext) -> int:
    """Requests per operation: the run's ``max_examples``, else the default."""
    value = ctx.session.options.max_examples
    return max(1, value if value is not None else DEFAULT_MAX_EXAMPLES)


def _live_cap(ctx: CheckContext, operations: int) -> int | None:
    """On a live target whose documented read limit paces the client (fewer than 100
    requests per window at the target's throttle share), about LIVE_SECONDS of pacing for
    the whole fuzz concern; None where fuzzing does not make the run wait."""
    if ctx.target.mode != "live":
        return None
    keys = ctx.profile.credential_keys
    credential = ctx.target.credentials.get(keys[0]) if keys else None
    rule = ctx.profile.rate_limit.rule_for("read", credential)
    if rule is None:
        return None
    allowed = rule.requests * ctx.target.budget.throttle
    if allowed >= 100:
        return None
    pace = rule.window_seconds / allowed
    return max(3, int(LIVE_SECONDS / pace / max(1, operations)))


@memoized
def examples_per_operation(ctx: CheckContext) -> int:
    """How many requests each fuzzed operation gets in this run (decided once per target).

    ``max_examples`` (explicit, or the default); without an explicit value a live target
    with a pacing rate limit gets fewer (:func:`_live_cap`); and fuzzing never takes more
    than three quarters of what is left of the request budget.
    """
    count = max_examples(ctx)
    operations = sum(1 for op in ctx.profile.operations if fuzzable(op))
    operations += 1 if OPENAPI.present(ctx.profile) else 0
    if ctx.session.options.max_examples is None:
        cap = _live_cap(ctx, operations)
        count = min(count, cap) if cap else count
    left = ctx.target.budget.max_requests - ctx.client.sent
    return max(1, min(count, left * 3 // 4 // max(1, operations)))


def fuzzable(op: Operation) -> bool:
    """Read operations with parameters to vary: paged lists, or a single id in the path."""
    return read_operations(op) and (op.paged or len(id_names(op)) == 1)


# ---------------------------------------------------------------- generation
def hypothesis_settings(count: int) -> settings:
    """Deterministic, bounded, no shrinking: the same requests on every run."""
    return settings(
        max_examples=max(1, count),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )


# Targets checked side by side draw from threads of one process; hypothesis's global random
# (its deterministic PRNG) and schemathesis's caches are shared by them, and concurrent
# draws were seen to fail as flaky. Drawing is pure computation under one interpreter lock
# anyway: one draw at a time costs nothing, and keeps every draw derandomized.
_DRAWING = threading.Lock()


def collect(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` values drawn deterministically from ``strategy`` (fewer if it runs dry)."""
    if count <= 0:
        return []
    found: list[Any] = []

    @hypothesis_settings(count)
    @given(strategy)
    def draw(value: Any) -> None:
        found.append(value)

    with _DRAWING:
        draw()
    return found[:count]
