"""A slow server on demand: every response waits a set delay first.

Not a fault (it breaks no clause): an emulator option for latency thresholds,
``options={"latency_seconds": 0.3}`` at start or ``POST /__emulator__/latency
{"seconds": 0.3}`` at run time (loopback only, like every control endpoint).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["Latency"]


class Latency:
    """Pure-ASGI middleware: each HTTP response (not the control endpoints) starts
    ``delay()`` seconds late."""

    def __init__(self, app: ASGIApp, delay: Callable[[], float]) -> None:
        self.app = app
        self.delay = delay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/__emulator__"):
            seconds = self.delay()
            if seconds > 0:
                await asyncio.sleep(seconds)
        await self.app(scope, receive, send)
