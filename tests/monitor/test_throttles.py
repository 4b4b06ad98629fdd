"""Targets that share a rate-limit allowance (one account or key) share one throttle; a
shared throttle never lets its threads together exceed the rule."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

from harness.monitor.config import load_config
from harness.monitor.fleet import build_fleet
from harness.monitor.throttles import share_key
from harness.profiles import RateRule
from harness.ratelimit import SystemClock, Throttle
from harness.targets import load_target
from tests.monitor.conftest import Emulators, set_name


def _copies(path: Path, folder: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        copy = folder / f"{name.replace(' ', '-')}.toml"
        copy.write_bytes(path.read_bytes())
        out.append(set_name(copy, name))
    return out


def test_targets_with_one_key_share_a_throttle_and_a_group_joins_others(
    emulators: Emulators, tmp_path: Path
) -> None:
    _, trackops = emulators.start("trackops")
    _, itrp = emulators.start("itrp")
    same_a, same_b = _copies(trackops, tmp_path, "trackops prod", "trackops staging")
    (other,) = _copies(itrp, tmp_path, "itrp prod")
    a, b, c = (load_target(p) for p in (same_a, same_b, other))
    assert share_key(a) == share_key(b) != share_key(c)
    rekeyed = replace(b, credentials={k: v + "x" for k, v in b.credentials.items()})
    assert share_key(rekeyed) != share_key(a)  # another key: another allowance
    assert share_key(rekeyed, "acme") == share_key(a, "acme") == "group:acme"
    assert not [v for v in a.credentials.values() if v and v in share_key(a)]  # a hash only
    config = tmp_path / "monitor.toml"
    config.write_text(
        'targets = ["trackops-prod.toml", "trackops-staging.toml", "itrp-prod.toml"]\n',
        encoding="utf-8",
    )
    fleet = build_fleet(load_config(config))
    try:
        probes = {p.target.name: p for p in fleet.probes}
        assert probes["trackops prod"].throttles is probes["trackops staging"].throttles
        assert probes["itrp prod"].throttles is not probes["trackops prod"].throttles
        assert sorted(fleet.throttles.sharing().values()) == [1, 2]
    finally:
        fleet.close()


def test_a_shared_throttle_keeps_its_threads_together_under_the_rule() -> None:
    rule = RateRule(requests=4, window_seconds=1, applies_to="all", source="document")
    throttle = Throttle(rule, SystemClock())
    sent: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(3):
            throttle.acquire()
            with lock:
                sent.append(time.monotonic())

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent.sort()
    assert len(sent) == 12
    for i in range(len(sent) - 4):  # any 5 consecutive requests span at least the window
        assert sent[i + 4] - sent[i] >= 0.95, sent
