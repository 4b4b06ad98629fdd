"""The monitor config file (``harness monitor --config monitor.toml``).

::

    targets = ["targets/*.toml"]   # target files or globs, relative to this file

    [defaults]                     # for every target (command-line options override these)
    retries = 2                    # re-checks of a failing cycle before the status changes
    retry_delay = "30s"
    degraded_ms = 2000             # p95 latency over latency_window above this: degraded
    failed_ms = 10000              # ... above this: failing
    latency_window = "15m"
    reminder = "4h"                # repeat the alert while a target stays down

    [alerts]
    group_wait = "30s"             # wait this long for other alerts of the vendor

    [[target]]                     # overrides for some targets (the most specific setting)
    match = "itrp acme*"           # a target name or vendor; shell-style globs
    degraded_ms = 800
    rate_limit_group = "acme"      # these targets share one throttle (one account)

    [[maintenance]]                # recurring windows: checks run, no alert fires
    match = "turris*"
    days = ["sat", "sun"]          # default: every day
    start = "02:00"
    duration = "2h"
    timezone = "Europe/Berlin"     # default UTC
    reason = "Turris' weekly deploy window"

Every mistake is one line naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from harness._tomlfile import check_against, read_data
from harness.errors import ConfigError, HarnessError
from harness.monitor.maintenance import DAYS, RecurringWindow
from harness.monitor.policy import TargetPolicy
from harness.monitor.status import parse_duration

__all__ = ["MonitorConfig", "load_config"]

DURATIONS = ("retry_delay", "latency_window", "reminder")
POLICY_KEYS = {f.name for f in fields(TargetPolicy)}


@dataclass(frozen=True)
class MonitorConfig:
    path: Path | None = None
    target_files: tuple[Path, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)
    overrides: tuple[tuple[str, dict[str, Any]], ...] = ()
    maintenance: tuple[RecurringWindow, ...] = ()
    group_wait: float | None = None

    def policy_for(self, vendor: str, name: str, options: dict[str, Any]) -> TargetPolicy:
        """Defaults, then the command line's ``options``, then matching ``[[target]]``s."""
        policy = replace(TargetPolicy(), **self.defaults)
        policy = replace(policy, **{k: v for k, v in options.items() if v is not None})
        for pattern, values in self.overrides:
            if fnmatchcase(name, pattern) or fnmatchcase(vendor, pattern):
                policy = replace(policy, **values)
        return policy


def _seconds(value: Any, path: Path, key: str) -> float:
    if isinstance(value, int | float):
        return float(value)
    try:
        return parse_duration(str(value), key)
    except HarnessError as exc:
        raise ConfigError(path, key, str(exc).split(": ", 1)[-1]) from None


def _policy(table: dict[str, Any], path: Path, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key == "match":
            continue
        out[key] = _seconds(value, path, f"{where}.{key}") if key in DURATIONS else value
    return out


def _target_files(patterns: list[str], path: Path) -> tuple[Path, ...]:
    found: list[Path] = []
    for i, pattern in enumerate(patterns):
        if any(c in pattern for c in "*?["):
            matched = sorted(path.parent.glob(pattern))
        else:
            single = path.parent / pattern
            matched = [single] if single.is_file() else []
        if not matched:
            raise ConfigError(
                path,
                f"targets[{i}]",
                f"{pattern!r} matches no file",
                "paths are relative to this file",
            )
        found.extend(m for m in matched if m not in found)
    return tuple(found)


def _window(item: dict[str, Any], path: Path, i: int) -> RecurringWindow:
    where = f"maintenance[{i}]"
    zone = item.get("timezone", "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            path,
            f"{where}.timezone",
            f"unknown time zone {zone!r}",
            "use an IANA name such as Europe/Berlin",
        ) from None
    hours, minutes = (int(x) for x in item["start"].split(":"))
    return RecurringWindow(
        match=item["match"],
        days=tuple(DAYS.index(d) for d in item.get("days", DAYS)),
        start=hours * 60 + minutes,
        duration=_seconds(item["duration"], path, f"{where}.duration"),
        zone=zone,
        reason=item["reason"],
    )


def load_config(path: Path | str) -> MonitorConfig:
    """Read and check a monitor config file."""
    path = Path(path)
    data = read_data(path, ConfigError)
    check_against(data, "monitor", path, ConfigError)
    overrides = []
    for i, item in enumerate(data.get("target", [])):
        values = _policy(item, path, f"target[{i}]")
        overrides.append((str(item["match"]), values))
    defaults = _policy(data.get("defaults", {}), path, "defaults")
    for key in list(defaults) + [k for _, v in overrides for k in v]:
        assert key in POLICY_KEYS, key  # the schema lists only policy keys
    alerts = data.get("alerts", {})
    group_wait = alerts.get("group_wait")
    return MonitorConfig(
        path=path,
        target_files=_target_files(data.get("targets", []), path),
        defaults=defaults,
        overrides=tuple(overrides),
        maintenance=tuple(_window(m, path, i) for i, m in enumerate(data.get("maintenance", []))),
        group_wait=None if group_wait is None else _seconds(group_wait, path, "alerts.group_wait"),
    )
