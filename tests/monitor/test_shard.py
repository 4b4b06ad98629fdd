"""``--shard I/N``: every target is checked by exactly one of N monitor processes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from harness.errors import HarnessError
from harness.monitor.schema import cycles, records
from harness.monitor.shard import Shard, parse_shard, shard_of
from tests.monitor.conftest import Emulators, run_monitor, set_name
from tests.monitor.test_once import rows

ITRP_PROD = [0, 0, 3, 1]
TURRIS_STAGING = [0, 1, 1, 1]
KEYS = [f"{v}|{v} tenant {i} {env}" for v in ("itrp", "turris", "trackops")
        for i in range(40) for env in ("prod", "staging")]  # fmt: skip


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_shards_partition_the_targets_exactly_once_and_evenly(count: int) -> None:
    owners = Counter()  # type: Counter[str]
    for index in range(count):
        shard = Shard(index, count)
        owners.update(k for k in KEYS if shard.owns(k))
    assert set(owners) == set(KEYS) and set(owners.values()) == {1}
    sizes = Counter(shard_of(k, count) for k in KEYS)
    assert min(sizes.values()) >= len(KEYS) / count * 0.6  # no shard left idle


def test_the_shard_of_a_target_is_stable_across_runs_and_machines() -> None:
    # SHA-256 of the key, not Python's per-process hash(): fixed values, forever (a change
    # would move targets between shards).
    assert [shard_of("itrp|itrp prod", n) for n in (2, 3, 5, 7)] == ITRP_PROD
    assert [shard_of("turris|turris staging", n) for n in (2, 3, 5, 7)] == TURRIS_STAGING
    assert parse_shard(" 1 / 3 ") == Shard(1, 3) and str(Shard(1, 3)) == "1/3"
    for bad in ("3/3", "-1/3", "1/0", "1", "a/b"):
        with pytest.raises(HarnessError, match="--shard"):
            parse_shard(bad)


def test_three_shard_processes_record_every_target_once(
    emulators: Emulators, tmp_path: Path
) -> None:
    files = []
    for vendor in ("itrp", "toptickets"):
        _, path = emulators.start(vendor)
        for i in range(3):
            copy = tmp_path / f"{vendor}-{i}.toml"
            copy.write_bytes(path.read_bytes())
            files.append(set_name(copy, f"{vendor} tenant {i}"))
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    argv = [a for f in files for a in ("--target-file", f)]
    for index in range(3):
        assert run_monitor("monitor", "--once", *argv, "--db", url, "--shard", f"{index}/3") == 0
    recorded = Counter(r["target"] for r in rows(url, records))
    assert recorded == Counter(
        {f"{v} tenant {i}": 1 for v in ("itrp", "toptickets") for i in range(3)}
    )
    assert {c["shard"] for c in rows(url, cycles)} <= {"0/3", "1/3", "2/3"}
