"""Generating and sending the fuzz requests of one read operation (once per run).

The requests are the documented parameters' boundary values first (the document's own
bad values and unknown names, each bad value alone, then each valid boundary), then
combinations drawn by hypothesis: any subset of valid values, at most one of them
replaced by a value outside the valid domain, so that a refusal is always about one
parameter. Generation is deterministic (``derandomize``, no example database, no
shrinking) and bounded by the run's ``max_examples``; every request goes through the
harness client (budget, throttle, TLS trust, redaction, read-only guard). The requests
and their answers are memoized: every fuzz check of an operation judges the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import call, fetch_ids
from harness.checks.errors._features import invalid_params_of
from harness.checks.fuzz._common import collect, examples_per_operation
from harness.checks.fuzz.parameters import Param, Verdict, combine, id_names, op_params
from harness.client import Exchange
from harness.profiles import Operation

__all__ = ["Sent", "for_operation", "probes", "sent_for"]


@dataclass(frozen=True)
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
    invalid = invalid_params_of(ctx.profile)
    names = {p.name for p in params}
    for entry in invalid.bad_values:
        if set(entry) <= names:
            documented.append({**base, **entry})
    for entry in invalid.unknown_names:
        documented.append({**base, **entry})
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


@memoized
def _sent(ctx: CheckContext, op: Operation, count: int) -> tuple[Sent, ...]:
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
    return tuple(made)


def sent_for(ctx: CheckContext, op: Operation) -> tuple[Sent, ...]:
    """The fuzz requests of ``op`` and their answers (sent once per run)."""
    return _sent(ctx, op, examples_per_operation(ctx))


def for_operation(ctx: CheckContext) -> tuple[Operation, tuple[Sent, ...]]:
    """The operation a per-operation fuzz check runs for, and its fuzz requests."""
    op = ctx.operation
    assert op is not None
    return op, sent_for(ctx, op)
