"""The parameters a read operation documents, as hypothesis strategies and as a judge.

Everything comes from the profile: the paging fields (size, page or offset, order, with
the documented maximum and first page), the documented filters and their enumerated
values (``[features.filters]``, ``[features.enums]``), the documented examples of bad
values and unknown names (``[features.invalid_params]``) and the id in the path.

Each value is judged ``valid`` (the document says it is served), ``invalid`` (the
document says it is refused with a client error: only where it gives a refusal status)
or ``any`` (the document does not say; only "no server error" and "the body matches its
status" apply). The same judge serves the generated requests and the ones schemathesis
makes, so both are held to the same reading of the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from hypothesis import strategies as st

from harness.checks._context import CheckContext
from harness.checks.errors._common import missing_id
from harness.checks.errors._features import invalid_params_of
from harness.checks.filters._features import FILTERS
from harness.checks.records._features import ENUMS
from harness.profiles import Operation, Profile

__all__ = [
    "Param",
    "Verdict",
    "combine",
    "id_names",
    "op_params",
    "unknown_verdict",
]

Expect = Literal["valid", "invalid", "any"]
Kind = Literal["size", "page", "offset", "order", "enum", "text", "id"]
_INT = re.compile(r"^-?[0-9]+$")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Text that is no integer, no enum value and safe in a URL path segment.
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzXYZ-_~", min_size=1, max_size=12)
_FREE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=16
)


@dataclass(frozen=True)
class Verdict:
    """What the document says about one value (or one request): served, refused, or silent."""

    expect: Expect
    why: str = ""
    about: tuple[str, ...] = ()  # the parameters that make a request invalid
    kinds: tuple[str, ...] = ()  # their kinds ("enum" refusals have their own status)


def as_int(value: Any) -> int | None:
    """The integer a query or body value spells, or None (booleans and floats are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT.match(value):
        return int(value)
    return None


@dataclass(frozen=True)
class Param:
    """One documented parameter of an operation."""

    name: str
    kind: Kind
    location: Literal["query", "body", "path"]
    valid: st.SearchStrategy[Any]
    bad: st.SearchStrategy[Any] | None
    examples_valid: tuple[Any, ...] = ()
    examples_bad: tuple[Any, ...] = ()
    judge: Callable[[Any], Verdict] = field(default=lambda value: Verdict("valid"))


def _refusal(refused: bool, why: str) -> Verdict:
    """``invalid`` where the document gives a refusal status, otherwise ``any``."""
    return Verdict("invalid" if refused else "any", why)


def _size_param(name: str, location: Any, maximum: int | None, refused: bool) -> Param:
    top = maximum or 1000

    def judge(value: Any) -> Verdict:
        number = as_int(value)
        if number is None:
            return _refusal(refused, f"{name}={value!r} is not an integer")
        if number < 1:
            return _refusal(refused, f"{name}={number} is below 1")
        if maximum is not None and number > maximum:
            return Verdict("any", f"{name}={number} is above the documented maximum {maximum}")
        return Verdict("valid")

    bad = st.one_of(st.integers(max_value=0), st.integers(min_value=top + 1), _WORD)
    return Param(
        name,
        "size",
        location,
        st.integers(1, top),
        bad,
        (1, top),
        (0, -1, "abc", "1.5", top + 1),
        judge,
    )


def _page_param(name: str, location: Any, first: int, refused: bool) -> Param:
    def judge(value: Any) -> Verdict:
        number = as_int(value)
        if number is None:
            return _refusal(refused, f"{name}={value!r} is not an integer")
        if number < first:
            return Verdict("any", f"{name}={number} is before the first page {first}")
        return Verdict("valid")

    bad = st.one_of(st.integers(max_value=first - 1), _WORD)
    return Param(
        name,
        "page",
        location,
        st.integers(first, first + 10_000),
        bad,
        (first, first + 1, 10_000),
        (first - 1, "abc"),
        judge,
    )


def _offset_param(name: str, location: Any, refused: bool) -> Param:
    def judge(value: Any) -> Verdict:
        number = as_int(value)
        if number is None:
            return _refusal(refused, f"{name}={value!r} is not an integer")
        if number < 0:
            return _refusal(refused, f"{name}={number} is negative")
        return Verdict("valid")

    bad = st.one_of(st.integers(max_value=-1), _WORD)
    return Param(
        name,
        "offset",
        location,
        st.integers(0, 10**9),
        bad,
        (0, 10**9),
        (-1, "abc"),
        judge,
    )


def _choice_param(
    name: str, kind: Kind, location: Any, values: tuple[str, ...], refused: bool
) -> Param:
    def judge(value: Any) -> Verdict:
        if isinstance(value, str) and value in values:
            return Verdict("valid")
        return _refusal(refused, f"{name}={value!r} is not one of {', '.join(values)}")

    bad = _WORD.filter(lambda v: v not in values)
    return Param(
        name,
        kind,
        location,
        st.sampled_from(values),
        bad,
        values[:1],
        (f"harness-not-a-{name}",),
        judge,
    )


def _text_param(name: str) -> Param:
    def judge(value: Any) -> Verdict:
        if isinstance(value, str):
            return Verdict("valid")
        return Verdict("any", f"{name}={value!r} is not a single text value")

    return Param(name, "text", "query", _FREE_TEXT, None, ("harness",), (), judge)


def _id_param(name: str, existing: Any, missing: Any) -> Param:
    def judge(value: Any) -> Verdict:
        if existing is not None and str(value) == str(existing):
            return Verdict("valid")
        return Verdict("any", f"{name}={value!r} names no record the harness has seen")

    valid = st.just(existing) if existing is not None else st.just(missing)
    bad = _WORD.filter(lambda v: str(v) not in (str(existing), str(missing)))
    examples = (existing,) if existing is not None else ()
    return Param(name, "id", "path", valid, bad, examples, (missing, "harness-no-id"), judge)


def id_names(op: Operation) -> list[str]:
    return _PLACEHOLDER.findall(op.path)


def op_params(ctx: CheckContext, op: Operation, existing_id: Any = None) -> list[Param]:
    """The documented parameters of ``op`` (paging, order, filters, the path id)."""
    profile = ctx.profile
    pagination = profile.pagination
    refused = pagination.bad_param_status is not None
    where = "body" if pagination.location == "body" else "query"
    params: list[Param] = []
    if op.paged and pagination.style != "none":
        if pagination.size_param:
            size = pagination.max_size
            params.append(_size_param(pagination.size_param, where, size, refused))
        if pagination.style == "offset" and pagination.offset_param:
            params.append(_offset_param(pagination.offset_param, where, refused))
        elif pagination.page_param:
            params.append(_page_param(pagination.page_param, where, pagination.first_page, refused))
        if pagination.order_param and pagination.order_values:
            values = tuple(pagination.order_values)
            params.append(_choice_param(pagination.order_param, "order", where, values, refused))
    params += _filters(profile, op)
    names = id_names(op)
    if len(names) == 1:
        params.append(_id_param(names[0], existing_id, missing_id(profile)))
    return params


def _filters(profile: Profile, op: Operation) -> list[Param]:
    filters = FILTERS.read(profile)
    if filters is None or filters.operation != op.id:
        return []
    enums = ENUMS.read(profile)
    refused = enums is not None
    value_sets = enums.value_sets() if enums else {}
    found: list[Param] = []
    for name in filters.params or {}:
        values = value_sets.get(name)
        if values:
            found.append(_choice_param(name, "enum", "query", tuple(map(str, values)), refused))
        else:
            found.append(_text_param(name))
    return found


def unknown_verdict(ctx: CheckContext, name: str) -> Verdict:
    """A parameter name the operation does not document: refused only where the document's
    strict reading says unknown names are invalid (and the run is strict)."""
    unknown = invalid_params_of(ctx.profile).unknown_names
    documented = any(name in entry for entry in unknown)
    if ctx.strict and documented:
        return Verdict(
            "invalid", f"{name} is not a parameter of this operation", (name,), ("name",)
        )
    return Verdict("any", f"{name} is not a documented parameter")


def combine(ctx: CheckContext, params: list[Param], values: Mapping[str, Any]) -> Verdict:
    """The verdict on a whole request: invalid if any value is, else any if any value is."""
    by_name = {p.name: p for p in params}
    invalid: list[tuple[str, str, str]] = []
    silent: list[str] = []
    for name, value in values.items():
        param = by_name.get(name)
        verdict = param.judge(value) if param else unknown_verdict(ctx, name)
        kind = param.kind if param else "name"
        if isinstance(value, list | tuple | dict):
            verdict = Verdict("any", f"{name} given as a list or object")
        if verdict.expect == "invalid":
            invalid.append((name, verdict.why, kind))
        elif verdict.expect == "any":
            silent.append(verdict.why)
    if invalid:
        return Verdict(
            "invalid",
            "; ".join(w for _, w, _ in invalid),
            tuple(n for n, _, _ in invalid),
            tuple(k for _, _, k in invalid),
        )
    if silent:
        return Verdict("any", "; ".join(silent))
    return Verdict("valid")
