"""How a target is watched, and when a record tells on-call something.

A :class:`TargetPolicy` holds what can be set per target (monitor config file, or the
command line for all): re-checks before a failing cycle counts, latency thresholds over a
window, reminder period and the rate-limit group.

:func:`decide` is the alert rule, a pure function of what on-call was last told about the
target (:class:`AlertState`) and the new record:

- only a change between the **ok** group (healthy, degraded) and the **down** group
  (failing, unreachable) alerts: ``failing`` or ``recovered``;
- while a target stays down, a ``reminder`` goes out every ``reminder`` seconds;
- a record that started before the newest one already taken into account is stale (two
  monitors watching one target): it changes nothing;
- in a maintenance window nothing changes and nothing is sent; a target still down when
  the window closes alerts then.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.monitor.status import VendorRecord, alert_group

__all__ = ["AlertState", "Decision", "TargetPolicy", "Transition", "decide"]


@dataclass(frozen=True)
class TargetPolicy:
    """Per-target monitoring settings (durations in seconds; None: off)."""

    retries: int = 0
    retry_delay: float = 30.0
    degraded_ms: float | None = None
    failed_ms: float | None = None
    latency_window: float = 900.0
    reminder: float | None = None
    rate_limit_group: str | None = None
    budget: int | None = None


@dataclass(frozen=True)
class AlertState:
    """What on-call was last told about one target."""

    group: str
    status: str
    changed_at: float
    record_id: int
    observed_at: float | None = None
    alerted_at: float | None = None


@dataclass(frozen=True)
class Transition:
    """Something to tell: ``failing``, ``recovered`` or ``reminder``."""

    kind: str
    previous: str  # the previous status ("" when the target was never seen)
    record_id: int
    since: float | None = None  # when the current down period began (reminders)


@dataclass(frozen=True)
class Decision:
    """The new alert state (None: leave it as it is) and what to send (None: nothing)."""

    state: AlertState | None
    transition: Transition | None


def decide(
    previous: AlertState | None,
    record: VendorRecord,
    record_id: int,
    now: float,
    *,
    reminder: float | None = None,
    in_maintenance: bool = False,
) -> Decision:
    """The alert rule of this module's docstring."""
    if in_maintenance:
        return Decision(None, None)
    observed = previous.observed_at if previous is not None else None
    if observed is not None and record.started < observed:
        return Decision(None, None)  # an older observation than one already counted
    group = alert_group(record.status)
    if previous is None:
        down = group == "down"
        state = AlertState(
            group, record.status, now, record_id, record.started, now if down else None
        )
        return Decision(state, Transition("failing", "", record_id) if down else None)
    if previous.group == group:
        alerted_at = previous.alerted_at
        transition = None
        due = (alerted_at or previous.changed_at) + reminder if reminder else None
        if group == "down" and due is not None and now >= due:
            transition = Transition("reminder", previous.status, record_id, previous.changed_at)
            alerted_at = now
        state = AlertState(
            group,
            record.status,
            previous.changed_at,
            record_id,
            record.started,
            alerted_at,
        )
        return Decision(state, transition)
    kind = "failing" if group == "down" else "recovered"
    state = AlertState(group, record.status, now, record_id, record.started, now)
    return Decision(state, Transition(kind, previous.status, record_id, previous.changed_at))
