"""Seeding helpers shared by the Trackops record builders: rising ids, update times,
nested references."""

from __future__ import annotations

import random
from typing import Any

from harness.emulators._kit import DATA_EPOCH

Record = dict[str, Any]


def ids(r: random.Random, count: int, start: int) -> list[int]:
    """Rising ids with small gaps (deleted records)."""
    out, current = [], start
    for _ in range(count):
        current += r.choice((1, 1, 1, 2, 3))
        out.append(current)
    return out


def updated(r: random.Random, created: float) -> float:
    if r.random() < 0.3:
        return created
    return created + r.randint(0, int(min(90 * 86400, DATA_EPOCH - created)))


def ref(record: Record, label: str = "name") -> Record:
    return {"id": record["id"], label: record[label]}
