"""The alert rule: changes of group, reminders while down, stale observations ignored,
nothing during maintenance."""

from __future__ import annotations

from harness.monitor.policy import AlertState, decide
from harness.monitor.status import VendorRecord


def _record(status: str, started: float) -> VendorRecord:
    return VendorRecord("itrp", "t", "live", status, started, started + 1, 1, 40)  # type: ignore[arg-type]


def _state(group: str, status: str, at: float, alerted: float | None = None) -> AlertState:
    return AlertState(group, status, at, 1, observed_at=at, alerted_at=alerted)


def test_a_first_record_alerts_only_when_down() -> None:
    assert decide(None, _record("healthy", 1), 1, 2).transition is None
    first = decide(None, _record("unreachable", 1), 1, 2)
    assert first.transition is not None and first.transition.kind == "failing"
    assert first.state is not None and first.state.alerted_at == 2


def test_a_change_of_group_alerts_and_a_change_within_a_group_does_not() -> None:
    down = _state("down", "failing", 10, alerted=10)
    assert decide(down, _record("unreachable", 20), 2, 21).transition is None
    back = decide(down, _record("degraded", 20), 2, 21)
    assert back.transition is not None and back.transition.kind == "recovered"
    assert back.transition.previous == "failing"


def test_reminders_repeat_while_down_every_period() -> None:
    down = _state("down", "failing", 100, alerted=100)
    early = decide(down, _record("failing", 150), 2, 150, reminder=3600)
    assert early.transition is None
    due = decide(down, _record("failing", 3700), 3, 3701, reminder=3600)
    assert due.transition is not None and due.transition.kind == "reminder"
    assert due.transition.since == 100 and due.state is not None and due.state.alerted_at == 3701
    assert decide(due.state, _record("failing", 3800), 4, 3801, reminder=3600).transition is None
    assert decide(down, _record("failing", 9000), 5, 9001).transition is None  # no reminder set


def test_an_observation_older_than_one_counted_changes_nothing() -> None:
    down = _state("down", "failing", 100, alerted=100)
    stale = decide(down, _record("healthy", 90), 2, 200)  # began before the counted one
    assert stale.state is None and stale.transition is None


def test_in_maintenance_nothing_changes_and_nothing_is_sent() -> None:
    ok = _state("ok", "healthy", 100)
    quiet = decide(ok, _record("failing", 200), 2, 201, in_maintenance=True)
    assert quiet.state is None and quiet.transition is None
    after = decide(ok, _record("failing", 300), 3, 301)  # the window closed, still down
    assert after.transition is not None and after.transition.kind == "failing"
