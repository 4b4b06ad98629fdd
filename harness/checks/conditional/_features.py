"""The ``[features.etag]`` table, typed: how a vendor tags representations and how a
client revalidates one. Read with ``ctx.feature(ETAG)`` or ``ETAG.read(profile)``."""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["ETAG", "EntityTags"]


@dataclass(frozen=True)
class EntityTags:
    """Entity tags on reads and the conditional GET that repeats one."""

    status: int = 304  # the answer to a GET repeating the current tag
    response_header: str = "ETag"  # the header carrying a representation's tag
    request_headers: tuple[str, ...] = ("If-None-Match",)  # headers that may repeat it
    example_path: str | None = None  # a read the document shows (default: the main one)


ETAG = FeatureKey("etag", EntityTags)
