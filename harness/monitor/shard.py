"""``--shard I/N``: each target belongs to exactly one of N monitor processes.

The shard of a target is a stable hash (SHA-256) of its key (``vendor|name``, the key of
its history), modulo N: the same on every machine, every Python and every run, and
independent of the order or number of target files. Shards are numbered from 0 (like
Kubernetes' indexed Jobs and StatefulSet pods): ``--shard 0/3``, ``1/3``, ``2/3``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from harness.errors import HarnessError

__all__ = ["Shard", "parse_shard", "shard_of"]

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def shard_of(key: str, count: int) -> int:
    """The shard (0..count-1) that ``key`` belongs to."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def owns(self, key: str) -> bool:
        return shard_of(key, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"1/3"`` -> Shard(1, 3); anything else is a one-line error naming ``--shard``."""
    match = _SHARD.match(text)
    if match:
        index, count = int(match.group(1)), int(match.group(2))
        if count >= 1 and 0 <= index < count:
            return Shard(index, count)
    raise HarnessError(
        f"--shard {text!r}: expected I/N with 0 <= I < N (shards count from 0), "
        "e.g. --shard 0/3, 1/3 and 2/3 for three monitor processes"
    )
