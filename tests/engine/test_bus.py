"""The event bus: one event at a time, in order, in a serial run's order across lanes."""

from __future__ import annotations

import threading
import time

import pytest

from harness.engine import Event, EventBus, RunStarted
from harness.engine.bus import OrderedLanes, is_live


def event(n: int) -> RunStarted:
    """A distinguishable event (its ``started`` is its number)."""
    return RunStarted((), float(n))


def numbers(events: list[Event]) -> list[int]:
    return [int(e.started) for e in events if isinstance(e, RunStarted)]


class Live:
    live_events = True

    def __init__(self) -> None:
        self.seen: list[Event] = []

    def __call__(self, e: Event) -> None:
        self.seen.append(e)


def test_a_later_lane_is_held_until_every_earlier_lane_closes() -> None:
    seen: list[Event] = []
    bus = EventBus([seen.append])
    lanes = OrderedLanes(bus, 3).lanes
    lanes[2].emit(event(20))
    lanes[1].emit(event(10))
    lanes[0].emit(event(0))
    assert numbers(seen) == [0]
    lanes[1].close()
    lanes[2].emit(event(21))
    assert numbers(seen) == [0]
    lanes[0].close()
    assert numbers(seen) == [0, 10, 20, 21]
    lanes[2].emit(event(22))
    assert numbers(seen) == [0, 10, 20, 21, 22]


def test_a_live_listener_gets_each_event_when_it_happens() -> None:
    ordered: list[Event] = []
    live = Live()
    bus = EventBus([ordered.append, live])
    lanes = OrderedLanes(bus, 2)
    lanes.lanes[1].emit(event(10))
    lanes.lanes[0].emit(event(0))
    assert numbers(live.seen) == [10, 0]
    assert numbers(ordered) == [0]
    lanes.close_all()
    assert numbers(ordered) == [0, 10]
    assert is_live(live) and not is_live(ordered.append)


def test_a_background_bus_delivers_in_emission_order_from_one_thread() -> None:
    seen: list[tuple[Event, str]] = []
    bus = EventBus([lambda e: seen.append((e, threading.current_thread().name))], background=True)
    for n in range(500):
        bus.emit(event(n))
    bus.close()
    assert numbers([e for e, _ in seen]) == list(range(500))
    assert {name for _, name in seen} == {"harness-events"}


def test_a_background_bus_lets_the_emitter_go_on_while_a_listener_works() -> None:
    def slow(e: Event) -> None:
        time.sleep(0.05)

    bus = EventBus([slow], background=True)
    started = time.perf_counter()
    for n in range(4):
        bus.emit(event(n))
    emitted = time.perf_counter() - started
    bus.flush()
    assert emitted < 0.05 <= time.perf_counter() - started


def test_a_listener_failure_reaches_the_emitter_and_stops_delivery() -> None:
    seen: list[Event] = []

    def fragile(e: Event) -> None:
        if isinstance(e, RunStarted) and e.started == 1:
            raise OSError("disk full")
        seen.append(e)

    bus = EventBus([fragile], background=True)
    bus.emit(event(0))
    bus.emit(event(1))
    with pytest.raises(OSError, match="disk full"):
        bus.flush()
    with pytest.raises(OSError, match="disk full"):
        bus.emit(event(2))
    with pytest.raises(OSError):
        bus.close()
    assert numbers(seen) == [0]


def test_without_a_dispatcher_a_listener_failure_is_raised_at_once() -> None:
    def fragile(e: Event) -> None:
        raise ValueError("bad listener")

    with pytest.raises(ValueError, match="bad listener"):
        EventBus([fragile]).emit(event(0))
