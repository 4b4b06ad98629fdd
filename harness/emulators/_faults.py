"""Faults: named, switchable breakages of exactly one clause each.

A fault is either a *switch* the vendor app consults (``ctx.fault("name")``) or a small
pure-ASGI middleware around the clean app that rewrites the responses it picks while the
fault is active. Faults can be turned on at start (``--fault``) or at run time through
``POST /__emulator__/faults``.

The building blocks make the subtle forms a real vendor ships one line each::

    replace_header("X-RateLimit-Remaining", off_by(1))          # a header present but wrong
    json_field("message", str.upper, when=on_errors)            # right on success, wrong on errors
    drop_header("Link", when=every_nth(5, on_operation("GET", "/v1/people")))  # one in five

A fault says how subtle it is (``kind``, inferred from its building blocks unless given)
and how it is proven: ``strict=True`` (or a ``reading``) proves it against a strict-mode
target, for a fault that follows one reading of an ambiguous clause. An emulator started
for a strict-mode proof gets ``options["strict"] = True``: where its clean behaviour takes a
documented reading other than the strict one, it must take the strict one then, so that the
strict clean run is silent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from harness.emulators._fault_rewrite import (
    FaultWrapper,
    Headers,
    ResponseRewriter,
    Rewrite,
    Wrapper,
    drop_header,
    json_field,
    off_by,
    replace_header,
    rewrite_json,
    rewriter,
    set_header,
    set_status,
)
from harness.emulators._fault_when import (
    Every,
    Match,
    When,
    every_nth,
    on_errors,
    on_operation,
    on_request_header,
    on_status,
    on_success,
)

__all__ = [
    "FAULT_KINDS",
    "SUBTLE_KINDS",
    "Every",
    "Fault",
    "FaultSwitch",
    "FaultWrapper",
    "Headers",
    "Match",
    "ResponseRewriter",
    "Rewrite",
    "When",
    "Wrapper",
    "drop_header",
    "every_nth",
    "json_field",
    "off_by",
    "on_errors",
    "on_operation",
    "on_request_header",
    "on_status",
    "on_success",
    "replace_header",
    "rewrite_json",
    "rewriter",
    "set_header",
    "set_status",
]

# How a fault breaks its clause, from the bluntest to the subtlest; a fault built from
# several blocks takes the subtlest of their kinds.
FAULT_KINDS = ("blunt", "wrong-value", "status-specific", "one-operation", "intermittent")
# The forms that break a rule on some responses only: one in N, some statuses, one operation.
SUBTLE_KINDS = frozenset({"status-specific", "one-operation", "intermittent"})


def _inferred_kind(wrap: Wrapper | None) -> str:
    kinds: frozenset[str] = getattr(wrap, "kinds", frozenset())
    return max(kinds, key=FAULT_KINDS.index, default="blunt")


@dataclass(frozen=True)
class Fault:
    """One named way to break one clause.

    ``wrap``: the middleware (None: a switch the vendor app consults). ``kind``: one of
    :data:`FAULT_KINDS` (empty: inferred from ``wrap``, ``blunt`` for a switch). ``strict``:
    proven against a strict-mode target. ``reading``: the reading of the clause's documented
    ambiguity this fault still follows (not the strict one); it implies ``strict``, and the
    selftest also proves that lenient mode, which accepts every reading, finds nothing.
    """

    name: str
    clause: str
    description: str
    wrap: Wrapper | None = None
    kind: str = ""
    strict: bool = False
    reading: str | None = None

    def __post_init__(self) -> None:
        kind = self.kind or _inferred_kind(self.wrap)
        if kind not in FAULT_KINDS:
            raise ValueError(
                f"fault {self.name!r}: kind={self.kind!r} is not a fault kind; "
                f"use one of {', '.join(FAULT_KINDS)} (or leave it out to infer it)"
            )
        object.__setattr__(self, "kind", kind)
        if self.reading is not None:
            object.__setattr__(self, "strict", True)

    @property
    def subtle(self) -> bool:
        """Breaks its rule on some responses only (one in N, some statuses, one operation)."""
        return self.kind in SUBTLE_KINDS

    @property
    def mode(self) -> str:
        """The mode of the target it is proven against: ``strict`` or ``lenient``."""
        return "strict" if self.strict else "lenient"


class FaultSwitch:
    """The set of active faults, safe to change while serving."""

    def __init__(self, catalog: Iterable[Fault], active: Iterable[str] = ()) -> None:
        self.catalog = {f.name: f for f in catalog}
        self._active: set[str] = set()
        self._lock = threading.Lock()
        self.set(enable=active)

    def __call__(self, name: str) -> bool:
        return name in self._active

    def is_active(self, name: str) -> Callable[[], bool]:
        return lambda: name in self._active

    @property
    def active(self) -> tuple[str, ...]:
        return tuple(sorted(self._active))

    def set(self, enable: Iterable[str] = (), disable: Iterable[str] = ()) -> None:
        enable, disable = list(enable), list(disable)
        for name in [*enable, *disable]:
            if name not in self.catalog:
                known = ", ".join(sorted(self.catalog)) or "none"
                raise ValueError(f"unknown fault {name!r}; this emulator's faults: {known}")
        with self._lock:
            self._active |= set(enable)
            self._active -= set(disable)
