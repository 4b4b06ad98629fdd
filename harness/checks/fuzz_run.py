"""Generating and sending the fuzz requests of one read operation (once per run).

The requests are the documented parameters' boundary values first (each bad value alone,
then each valid boundary), then combinations drawn by hypothesis: any subset of valid
values, at most one of them replaced by a value outside the valid domain, so that a
refusal is always about one parameter. Generation is deterministic (``derandomize``, no
example database, no shrinking) and bounded by the run's ``max_examples``; every request
goes through the harness client (budget, throttle, TLS trust, redaction, read-only guard).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from harness.checks._context import CheckContext
from harness.checks._ops import call, fetch_ids, read_operations
from harness.checks.errors import feature
from harness.checks.fuzz_params import Param, Verdict, combine, id_names, op_params
from harness.client import Exchange
from harness.profiles import Operation

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "ORDER",
    "Sent",
    "collect",
    "examples_per_operation",
    "fuzzable",
    "max_examples",
    "sent_for",
]

DEFAULT_MAX_EXAMPLES = 25
# After the checks that judge every recorded exchange (80-85), before exhaustion (90+):
# the fuzz traffic is judged by the fuzz checks alone.
ORDER = 88
# On a live target with a pacing rate limit: roughly how long fuzzing may make a run wait.
LIVE_SECONDS = 30


def max_examples(ctx: CheckContext) -> int:
    """Requests per operation: the run's ``max_examples`` (``ctx.cache``), else the default."""
    raw = ctx.cache.get("max_examples")
    try:
        value = int(raw) if raw not in (None, "") else DEFAULT_MAX_EXAMPLES
    except (TypeError, ValueError):
        value = DEFAULT_MAX_EXAMPLES
    return max(1, value)


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


def examples_per_operation(ctx: CheckContext) -> int:
    """How many requests each fuzzed operation gets in this run (decided once per target).

    ``max_examples`` (explicit, or the default); without an explicit value a live target
    with a pacing rate limit gets fewer (:func:`_live_cap`); and fuzzing never takes more
    than three quarters of what is left of the request budget.
    """
    key = "fuzz:per-operation"
    if key not in ctx.cache:
        count = max_examples(ctx)
        operations = sum(1 for op in ctx.profile.operations if fuzzable(op))
        operations += 1 if "openapi" in ctx.profile.features else 0
        if ctx.cache.get("max_examples") in (None, ""):
            cap = _live_cap(ctx, operations)
            count = min(count, cap) if cap else count
        left = ctx.target.budget.max_requests - ctx.client.sent
        ctx.cache[key] = max(1, min(count, left * 3 // 4 // max(1, operations)))
    found: int = ctx.cache[key]
    return found


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


def collect(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` values drawn deterministically from ``strategy`` (fewer if it runs dry)."""
    if count <= 0:
        return []
    found: list[Any] = []

    @hypothesis_settings(count)
    @given(strategy)
    def draw(value: Any) -> None:
        found.append(value)

    draw()
    return found[:count]


def fuzzable(op: Operation) -> bool:
    """Read operations with parameters to vary: paged lists, or a single id in the path."""
    return read_operations(op) and (op.paged or len(id_names(op)) == 1)


@dataclass
class Sent:
    """One generated request, what the document says about it, and its answer."""

    op: Operation
    values: dict[str, Any]
    verdict: Verdict
    exchange: Exchange

    def shown(self) -> str:
        parts = "&".join(
            f"{k}={v!r}" if not isinstance(v, str) else f"{k}={v}" for k, v in self.values.items()
        )
        return f"{self.op.method} {self.op.path}" + (f" with {parts}" if parts else "")


def _key(values: dict[str, Any]) -> str:
    return repr(sorted((k, repr(v)) for k, v in values.items()))


def _explicit(ctx: CheckContext, params: list[Param], base: dict[str, Any]) -> list[dict[str, Any]]:
    """Documented bad values and unknown names, then each boundary, one parameter at a time."""
    documented: list[dict[str, Any]] = []
    invalid = feature(ctx.profile, "invalid_params")
    names = {p.name for p in params}
    for entry in invalid.get("bad_values") or ():
        if set(dict(entry)) <= names:
            documented.append({**base, **dict(entry)})
    for entry in invalid.get("unknown_names") or ():
        documented.append({**base, **dict(entry)})
    bad = [{**base, p.name: v} for p in params for v in p.examples_bad]
    good = [{**base, p.name: v} for p in params for v in p.examples_valid]
    return documented + bad + good


def _bad_pair(param: Param) -> st.SearchStrategy[tuple[str, Any]]:
    assert param.bad is not None
    return param.bad.map(lambda value: (param.name, value))


def _generated(params: list[Param], base: dict[str, Any], count: int) -> list[dict[str, Any]]:
    optional = {p.name: p.valid for p in params if p.location != "path"}
    ids = {p.name: p.valid for p in params if p.location == "path"}
    bads = [p for p in params if p.bad is not None]
    valid = st.fixed_dictionaries(ids, optional=optional)
    one_bad: st.SearchStrategy[Any] = st.none()
    if bads:
        picks = st.sampled_from(bads).flatmap(_bad_pair)
        one_bad = st.one_of(st.none(), picks)
    pairs = collect(st.tuples(valid, one_bad), count)
    found = []
    for values, bad in pairs:
        merged = {**base, **values}
        if bad is not None:
            merged[bad[0]] = bad[1]
        found.append(merged)
    return found


def probes(
    ctx: CheckContext, op: Operation, params: list[Param], base: dict[str, Any], count: int
) -> list[dict[str, Any]]:
    """At most ``count`` distinct requests: the explicit ones first, then generated ones."""
    chosen: dict[str, dict[str, Any]] = {}
    for values in _explicit(ctx, params, base):
        chosen.setdefault(_key(values), values)
    room = count - len(chosen)
    if room > 0:
        for values in _generated(params, base, room + 5):
            if len(chosen) >= count:
                break
            chosen.setdefault(_key(values), values)
    return list(chosen.values())[:count]


def _send(
    ctx: CheckContext, op: Operation, params: list[Param], values: dict[str, Any]
) -> Exchange:
    where = {p.name: p.location for p in params}
    ids = {k: v for k, v in values.items() if where.get(k) == "path"}
    query = {k: v for k, v in values.items() if where.get(k, "query") == "query"}
    body = {k: v for k, v in values.items() if where.get(k) == "body"}
    return call(ctx, op, ids=ids or None, params=query or None, paging=body or None)


def sent_for(ctx: CheckContext, op: Operation) -> list[Sent]:
    """The fuzz requests of ``op`` and their answers (sent once per run, cached)."""
    count = examples_per_operation(ctx)
    key = f"fuzz:sent:{op.id}:{count}"
    if key in ctx.cache:
        cached: list[Sent] = ctx.cache[key]
        return cached
    names = id_names(op)
    existing = None
    if len(names) == 1:
        found = fetch_ids(ctx, op)
        existing = found.get(names[0]) if found else None
    params = op_params(ctx, op, existing)
    if not params:
        ctx.skip(f"{op.method} {op.path} documents no parameter to vary")
    base = {
        p.name: (existing if existing is not None else p.examples_bad[0])
        for p in params
        if p.location == "path"
    }
    made = []
    for values in probes(ctx, op, params, base, count):
        exchange = _send(ctx, op, params, values)
        made.append(Sent(op, values, combine(ctx, params, values), exchange))
    ctx.cache[key] = made
    return made


def for_operation(ctx: CheckContext) -> tuple[Operation, list[Sent]]:
    op = ctx.operation
    assert op is not None
    return op, sent_for(ctx, op)
