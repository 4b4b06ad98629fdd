"""Delivering the engine's events: one at a time, and in a serial run's order.

Targets may run in threads (:mod:`harness.engine.parallel`); listeners never see two
events at once (the bus holds one lock while it delivers). Through :class:`OrderedLanes`
a parallel run also delivers them in the order a serial run would: the events of the
first target as they happen, those of each later target held back until every earlier
target has finished, then delivered in one go. Reporters therefore write the same
Allure results, JUnit XML and results whether the targets ran one after another or
side by side. A listener that shows progress and wants every target's events as they
happen says so with a true ``live_events`` attribute (:func:`is_live`); it gets them at
once, interleaved across targets.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import Protocol

from harness.engine.events import Event

__all__ = ["Emitter", "EventBus", "Lane", "Listener", "OrderedLanes", "is_live"]

Listener = Callable[[Event], None]
QUEUE_CAPACITY = 10_000  # events waiting for delivery before emitters wait for listeners


class Emitter(Protocol):
    """Where a target run sends its events (the bus, or its lane of an ordered run)."""

    def emit(self, event: Event) -> None: ...


def is_live(listener: Listener) -> bool:
    """Whether a listener wants events as they happen rather than in a serial run's order."""
    return bool(getattr(listener, "live_events", False))


class EventBus:
    """Delivers events to listeners one at a time (targets may run in threads).

    With ``background=True`` one dispatcher thread delivers them, in the order they
    were emitted, while the checks go on: writing reports (an Allure attachment per
    exchange) overlaps with waiting for the target instead of adding to each request.
    A listener's exception stops delivery and is raised to the next caller of
    :meth:`emit` or :meth:`flush`, as it would be raised to the emitter without a
    dispatcher. :meth:`flush` returns once everything emitted so far is delivered.
    """

    def __init__(
        self,
        listeners: Iterable[Listener] = (),
        *,
        background: bool = False,
        capacity: int = QUEUE_CAPACITY,
    ) -> None:
        self.listeners = list(listeners)
        self.lock = threading.RLock()
        self.background = background
        self._queue: queue.Queue[tuple[Event, bool | None] | None] = queue.Queue(capacity)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def emit(self, event: Event) -> None:
        self._deliver(event, None)

    def emit_to(self, event: Event, *, live: bool) -> None:
        """Deliver to the live listeners only, or to the others only."""
        self._deliver(event, live)

    def _deliver(self, event: Event, live: bool | None) -> None:
        if self._error is not None:
            raise self._error
        if not self.listeners:
            return
        if not self.background:
            with self.lock:
                self._call(event, live)
            return
        with self.lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._dispatch, name="harness-events", daemon=True
                )
                self._thread.start()
            self._queue.put((event, live))

    def _call(self, event: Event, live: bool | None) -> None:
        for listener in self.listeners:
            if live is None or is_live(listener) == live:
                listener(event)

    def _dispatch(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                if self._error is None:
                    self._call(*item)
            except BaseException as exc:  # raised to the emitter by emit() or flush()
                self._error = exc
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def flush(self) -> None:
        """Wait until every event emitted so far is delivered; raise a listener's error."""
        if self._thread is not None and self._thread is not threading.current_thread():
            self._queue.join()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Deliver what is left and stop the dispatcher."""
        with self.lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()
        if self._error is not None:
            raise self._error


class OrderedLanes:
    """One lane per target of a run; the bus receives the lanes' events in lane order.

    Lane 0 delivers at once; a later lane holds its events until every lane before it
    is closed (its target finished), then delivers what it held and goes on at once.
    """

    def __init__(self, bus: EventBus, count: int) -> None:
        self.bus = bus
        self.lanes = [Lane(self, i) for i in range(count)]
        self._held: list[list[Event]] = [[] for _ in range(count)]
        self._closed = [False] * count
        self._current = 0

    def _emit(self, index: int, event: Event) -> None:
        with self.bus.lock:
            self.bus.emit_to(event, live=True)
            if index == self._current:
                self.bus.emit_to(event, live=False)
            else:
                self._held[index].append(event)

    def _close(self, index: int) -> None:
        with self.bus.lock:
            self._closed[index] = True
            while self._current < len(self.lanes) and self._closed[self._current]:
                self._current += 1
                if self._current < len(self.lanes):
                    held, self._held[self._current] = self._held[self._current], []
                    for event in held:
                        self.bus.emit_to(event, live=False)

    def close_all(self) -> None:
        """Deliver whatever is still held (lanes left open by an interrupted run)."""
        for lane in self.lanes:
            lane.close()


class Lane:
    """One target's way onto the bus in an ordered run."""

    def __init__(self, lanes: OrderedLanes, index: int) -> None:
        self._lanes = lanes
        self.index = index

    def emit(self, event: Event) -> None:
        self._lanes._emit(self.index, event)

    def close(self) -> None:
        self._lanes._close(self.index)
