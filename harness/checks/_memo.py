"""A typed per-session memo: what several checks of one target share, computed once.

Checks share expensive observations (the first page of a collection, the answer to a
request without credentials, a created record). Instead of string keys in a dict, each
shared observation is a function of the check context decorated with :func:`memoized`;
its first call on a session computes it, later calls (from any check) get the same
value. The key is the function and its arguments, so no two modules can collide on a
key, and mypy sees the value's type::

    @memoized
    def first_page(ctx: CheckContext, op: Operation) -> Exchange:
        return call(ctx, op)

A computation that raises is not memoized (the next caller tries again). ``forget``
drops one value (a record that was deleted), ``Memo.clear`` all of them (a new
monitoring cycle).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar

if TYPE_CHECKING:
    from harness.checks._context import CheckContext

__all__ = ["Memo", "Memoized", "memoized"]

P = ParamSpec("P")
T = TypeVar("T")


class Memo:
    """The values memoized on one target session."""

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        self._values.clear()

    def lookup(self, key: Hashable) -> tuple[bool, Any]:
        if key in self._values:
            return True, self._values[key]
        return False, None

    def store(self, key: Hashable, value: Any) -> None:
        self._values[key] = value

    def drop(self, key: Hashable) -> None:
        self._values.pop(key, None)


class Memoized(Generic[P, T]):
    """A function of the check context whose result is kept per session and arguments."""

    def __init__(self, func: Callable[Concatenate[CheckContext, P], T]) -> None:
        self.func = func
        self.name = f"{func.__module__}.{func.__qualname__}"
        functools.update_wrapper(self, func)

    def _key(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
        return (self.name, args, tuple(sorted(kwargs.items())))

    def __call__(self, ctx: CheckContext, /, *args: P.args, **kwargs: P.kwargs) -> T:
        memo = ctx.session.memo
        key = self._key(args, kwargs)
        found, value = memo.lookup(key)
        if found:
            result: T = value
            return result
        result = self.func(ctx, *args, **kwargs)
        memo.store(key, result)
        return result

    def forget(self, ctx: CheckContext, /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Drop the value for these arguments: the next call computes it again."""
        ctx.session.memo.drop(self._key(args, kwargs))

    def known(self, ctx: CheckContext, /, *args: P.args, **kwargs: P.kwargs) -> bool:
        """Whether a value for these arguments is memoized (without computing it)."""
        return ctx.session.memo.lookup(self._key(args, kwargs))[0]


def memoized(func: Callable[Concatenate[CheckContext, P], T]) -> Memoized[P, T]:
    """Memoize ``func(ctx, *args)`` per target session (arguments must be hashable)."""
    return Memoized(func)
