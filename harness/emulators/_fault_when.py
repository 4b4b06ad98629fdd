"""Which responses a fault breaks: composable predicates on (request scope, response status).

A real vendor rarely breaks a rule on every response. These narrow a fault down to the
responses it touches, so a fault reads as one line::

    on_errors                                   # only error responses (status >= 400)
    on_status(201)                              # only these statuses
    on_operation("GET", "/v1/people/{id}")      # only one operation (method + path template)
    every_nth(5, on_operation("GET", "/v1/people"))   # one response in five of that operation
    on_errors & on_operation("POST", "/v1/requests")  # both
    on_request_header("Authorization", present=False)  # only anonymous requests

A :class:`When` is a recipe, not a predicate: :meth:`When.bind` makes the predicate one
emulator instance uses, with its own counters, so two emulators (or two selftest runs in
one process) never share a count and every run sees the same responses broken.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from starlette.types import Scope

__all__ = [
    "Every",
    "Match",
    "When",
    "as_when",
    "every_nth",
    "on_errors",
    "on_operation",
    "on_request_header",
    "on_status",
    "on_success",
]

Match = Callable[[Scope, int], bool]


class When:
    """A named recipe for a response predicate; ``kinds`` say how subtle it makes a fault."""

    def __init__(
        self, bind: Callable[[], Match], label: str, kinds: frozenset[str] = frozenset()
    ) -> None:
        self._bind = bind
        self.label = label
        self.kinds = kinds

    def bind(self) -> Match:
        """The predicate for one emulator instance (fresh counters)."""
        return self._bind()

    def __and__(self, other: When | Match) -> When:
        right = as_when(other)

        def bind() -> Match:
            first, second = self.bind(), right.bind()
            return lambda scope, status: first(scope, status) and second(scope, status)

        return When(bind, f"{self.label} and {right.label}", self.kinds | right.kinds)

    def __repr__(self) -> str:
        return f"When({self.label})"


def as_when(test: When | Match | None) -> When:
    """A :class:`When` from a When, a plain ``(scope, status) -> bool`` function, or None
    (every response)."""
    if isinstance(test, When):
        return test
    if test is None:
        return When(lambda: lambda scope, status: True, "every response")
    plain = test
    return When(lambda: plain, getattr(plain, "__name__", "custom"))


def _is_error(scope: Scope, status: int) -> bool:
    return status >= 400


def _is_success(scope: Scope, status: int) -> bool:
    return 200 <= status < 300


on_errors = When(lambda: _is_error, "error responses", frozenset({"status-specific"}))
on_success = When(lambda: _is_success, "success responses")


def on_status(*codes: int) -> When:
    """Only responses with one of these status codes."""
    if not codes or not all(100 <= c <= 599 for c in codes):
        raise ValueError(f"on_status{codes}: give one or more HTTP status codes, e.g. 201")
    wanted = frozenset(codes)
    label = "status " + "/".join(str(c) for c in sorted(wanted))
    return When(
        lambda: lambda scope, status: status in wanted, label, frozenset({"status-specific"})
    )


_PARAM = re.compile(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}")


def on_operation(method: str, template: str) -> When:
    """Only requests of one operation: ``method`` and a path template from the root, as the
    request line shows it (``"/v1/people/{id}"``; a ``{name}`` is one path segment). A
    trailing slash and a ``.json`` format suffix are accepted, as servers do."""
    if not template.startswith("/"):
        raise ValueError(
            f"on_operation({method!r}, {template!r}): the path template must start with '/', "
            'the full path as the request line shows it, e.g. "/v1/people/{id}"'
        )
    verb = method.upper()
    path = _PARAM.sub("[^/]+", re.escape(template.rstrip("/")))
    pattern = re.compile(f"^{path}(?:\\.json)?/?$")

    def bind() -> Match:
        return lambda scope, status: (
            scope.get("method", "GET").upper() == verb and bool(pattern.match(scope["path"]))
        )

    return When(bind, f"{verb} {template}", frozenset({"one-operation"}))


def on_request_header(name: str, present: bool = True) -> When:
    """Only requests that carry the header ``name`` (``present=False``: that lack it)."""
    wanted = name.lower().encode("latin-1")

    def test(scope: Scope, status: int) -> bool:
        has = any(key.lower() == wanted for key, _ in scope.get("headers", ()))
        return has is present

    label = f"requests {'with' if present else 'without'} {name}"
    return When(lambda: test, label)


class Every:
    """True on the n-th, 2n-th, ... call: the counter behind :func:`every_nth`, and the way
    an app consults an intermittent switch fault (``if ctx.fault(F) and self.every():``,
    with the ``Every`` made in ``create_app`` so each emulator instance counts alone)."""

    def __init__(self, n: int) -> None:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"every {n!r}: expected a whole number >= 1 (2 = every other one)")
        self.n = n
        self.seen = 0
        self._lock = threading.Lock()

    def __call__(self) -> bool:
        with self._lock:
            self.seen += 1
            return self.seen % self.n == 0


def every_nth(n: int, of: When | Match | None = None) -> When:
    """The n-th, 2n-th, ... response that ``of`` matches (every response if None), counted
    per emulator instance from the moment the fault is switched on: deterministic, so the
    same run breaks the same responses."""
    Every(n)  # validates n now, at import time of the fault catalog
    base = as_when(of)

    def bind() -> Match:
        inner, counter = base.bind(), Every(n)
        return lambda scope, status: inner(scope, status) and counter()

    label = f"one in {n} of {base.label}"
    return When(bind, label, base.kinds | {"intermittent"})
