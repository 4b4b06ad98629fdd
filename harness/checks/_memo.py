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

**Whose exchanges.** A memoized value is kept with the HTTP exchanges its computation
sent or itself reused (its *sources*). A later check that reads the value has judged
those exchanges too: the memo lists them for it (:meth:`Memo.take_used`), and the engine
attributes them to that check's result (``CheckResult.used``), so a report shows them on
every case the value decided, while each exchange is still sent and recorded once.
Requests a computation sent that the client did not record (sent by an unthrottled copy
of the client that forgets them, or outside the client) are counted with the sources
(``unrecorded``), so a report can say why a case shows no exchange.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar

if TYPE_CHECKING:
    from harness.checks._context import CheckContext
    from harness.client import Exchange, HarnessClient

__all__ = ["Memo", "Memoized", "Sources", "memoized"]

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Sources:
    """What a memoized value was computed from, or what a check used of the memo."""

    exchanges: tuple[Exchange, ...] = ()  # recorded by the session's client, each once
    unrecorded: int = 0  # requests sent (and counted in the budget) but not recorded


@dataclass
class _Collecting:
    """The sources of one computation in progress."""

    sent_before: int
    exchanges: list[Exchange] = field(default_factory=list)
    sent_now: int = 0  # of ``exchanges``, how many were sent during the computation
    reused_unrecorded: int = 0


class Memo:
    """The values memoized on one target session, with the exchanges behind each.

    The session's client feeds it every exchange it records (:meth:`watch`); while a
    memoized function computes, those exchanges, and the sources of every value it
    reads from the memo, become the new value's sources. One session runs one check
    at a time, so the memo also collects what the running check reused.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._sources: dict[Hashable, Sources] = {}
        self._computing: list[_Collecting] = []  # innermost last
        self._used: list[Sources] = []
        self._fresh: set[Hashable] = set()  # keys computed by the running check
        self._client: HarnessClient | None = None

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        self._values.clear()
        self._sources.clear()
        self._computing.clear()
        self._used.clear()
        self._fresh.clear()

    def lookup(self, key: Hashable) -> tuple[bool, Any]:
        if key in self._values:
            return True, self._values[key]
        return False, None

    def store(self, key: Hashable, value: Any, sources: Sources | None = None) -> None:
        self._values[key] = value
        self._sources[key] = sources or Sources()
        self._fresh.add(key)

    def drop(self, key: Hashable) -> None:
        self._values.pop(key, None)
        self._sources.pop(key, None)

    def sources(self, key: Hashable) -> Sources:
        """What the value under ``key`` was computed from."""
        return self._sources.get(key, Sources())

    # -- attribution ------------------------------------------------------------------
    def watch(self, client: HarnessClient) -> None:
        """Learn the exchanges ``client`` records, the session's own client only: a
        copy of the session with another client (an unthrottled one that sends and
        forgets thousands of requests) shares the memo but is not watched."""
        if self._client is None:
            self._client = client
            client.listeners.append(self.sent)

    def _sent_count(self) -> int:
        return self._client.sent if self._client is not None else 0

    def sent(self, exchange: Exchange) -> None:
        """The watched client recorded ``exchange`` (a client listener)."""
        for collecting in self._computing:
            collecting.exchanges.append(exchange)
            collecting.sent_now += 1

    def reuse(self, key: Hashable) -> None:
        """The value under ``key`` was read: its sources are used by every computation
        in progress and, unless the running check computed it itself, by that check."""
        sources = self.sources(key)
        for collecting in self._computing:
            collecting.exchanges.extend(sources.exchanges)
            collecting.reused_unrecorded += sources.unrecorded
        if key not in self._fresh:
            self._used.append(sources)

    def computing(self) -> _Collecting:
        """Start collecting the sources of a computation (end with :meth:`computed`)."""
        collecting = _Collecting(sent_before=self._sent_count())
        self._computing.append(collecting)
        return collecting

    def computed(self, collecting: _Collecting) -> Sources:
        """Stop collecting; the computation's sources."""
        for i in range(len(self._computing) - 1, -1, -1):
            if self._computing[i] is collecting:
                del self._computing[i]
                break
        sent = self._sent_count() - collecting.sent_before
        unrecorded = max(sent - collecting.sent_now, 0) + collecting.reused_unrecorded
        return Sources(_unique(collecting.exchanges), unrecorded)

    def begin_check(self) -> None:
        """A check starts: nothing is used by it yet."""
        self._used = []
        self._fresh = set()
        self._computing.clear()

    def take_used(self) -> Sources:
        """What the check read of the memo since :meth:`begin_check`: the exchanges of
        the values (each once, in the order first used) and their unrecorded requests."""
        used, self._used = self._used, []
        exchanges = _unique([x for s in used for x in s.exchanges])
        return Sources(exchanges, sum(s.unrecorded for s in used))


def _unique(exchanges: list[Exchange]) -> tuple[Exchange, ...]:
    return tuple({id(x): x for x in exchanges}.values())


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
            memo.reuse(key)
            result: T = value
            return result
        collecting = memo.computing()
        try:
            result = self.func(ctx, *args, **kwargs)
        finally:
            sources = memo.computed(collecting)
        memo.store(key, result, sources)
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
