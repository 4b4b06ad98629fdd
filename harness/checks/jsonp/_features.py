"""The ``[features.jsonp]`` table, typed. Read with ``ctx.feature(JSONP)`` or
``JSONP.read(profile)``."""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["JSONP", "Jsonp"]


@dataclass(frozen=True)
class Jsonp:
    """A callback parameter turning any answer into ``callback({meta, data})``."""

    param: str = "callback"  # the query parameter naming the callback
    example_callback: str = "cb"  # the callback name the checks send
    meta_key: str = "meta"  # the member repeating the status and headers
    data_key: str = "data"  # the member holding the plain answer
    meta_status_key: str = "status"  # the member of meta holding the HTTP status (a number)


JSONP = FeatureKey("jsonp", Jsonp)
