"""What one monitor process watches: its targets, their policies and shared throttles.

Targets come from the config file's ``targets``, from ``--target-file`` options, or (with
neither) from the built-in emulators, started here. With ``--shard I/N`` only the targets
whose key hashes to shard I are kept (emulators of the others are not even started).
Two targets with one key (``vendor|name``) would mix their histories: refused.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness._resources import vendor_names
from harness.errors import HarnessError
from harness.monitor.config import MonitorConfig
from harness.monitor.cycle import DEFAULT_BUDGET, HealthProbe
from harness.monitor.shard import Shard
from harness.monitor.throttles import ThrottlePool, share_key
from harness.targets import Target, load_target

__all__ = ["Fleet", "build_fleet"]


@dataclass
class Fleet:
    probes: list[HealthProbe] = field(default_factory=list)
    emulators: list[Any] = field(default_factory=list)
    throttles: ThrottlePool = field(default_factory=ThrottlePool)
    skipped: int = 0  # targets left to other shards

    def close(self) -> None:
        for probe in self.probes:
            probe.close()
        for emu in self.emulators:
            emu.stop()
        self.emulators.clear()


def _key(target: Target) -> str:
    return f"{target.vendor}|{target.name}"


def _load(config: MonitorConfig, files: Sequence[Path]) -> list[Target]:
    targets: list[Target] = []
    seen: dict[str, Path | None] = {}
    for path in [*config.target_files, *(p for p in files if p not in config.target_files)]:
        target = load_target(path)
        key = _key(target)
        if key in seen:
            raise HarnessError(
                f"{path}: target {target.name!r} ({target.vendor}) is also defined by {seen[key]}; "
                "give each target a distinct `name` (it keys the history)"
            )
        seen[key] = path
        targets.append(target)
    return targets


def _start_emulators(vendors: Sequence[str], shard: Shard | None, fleet: Fleet) -> list[Target]:
    from harness.emulators import make_tls, start_emulator

    known = vendor_names()
    for vendor in vendors:
        if vendor not in known:
            raise HarnessError(f"unknown vendor {vendor!r}; known vendors: {', '.join(known)}")
    chosen = [v for v in (vendors or known) if shard is None or shard.owns(f"{v}|{v} (emulator)")]
    if not chosen:
        return []
    folder = Path(tempfile.mkdtemp(prefix="harness-monitor-"))
    tls = make_tls(folder / "tls")
    targets = []
    for vendor in chosen:
        emu = start_emulator(vendor, tls=tls)
        fleet.emulators.append(emu)
        targets.append(load_target(emu.write_target(folder / f"{vendor}.toml"), environ={}))
    return targets


def build_fleet(
    config: MonitorConfig,
    *,
    vendors: Sequence[str] = (),
    target_files: Sequence[Path] = (),
    shard: Shard | None = None,
    budget: int = DEFAULT_BUDGET,
    options: dict[str, Any] | None = None,
) -> Fleet:
    """Load (or start) the targets of this process, each with its probe and policy."""
    if vendors and (target_files or config.target_files):
        raise HarnessError("give vendors (built-in emulators) or target files, not both")
    fleet = Fleet()
    try:
        if target_files or config.target_files:
            targets = _load(config, target_files)
            mine = [t for t in targets if shard is None or shard.owns(_key(t))]
            fleet.skipped = len(targets) - len(mine)
        else:
            mine = _start_emulators(vendors, shard, fleet)
        for target in mine:
            policy = config.policy_for(target.vendor, target.name, options or {})
            group = share_key(target, policy.rate_limit_group)
            fleet.probes.append(
                HealthProbe(
                    target, budget=budget, policy=policy, throttles=fleet.throttles.throttles(group)
                )
            )
    except BaseException:
        fleet.close()
        raise
    return fleet
