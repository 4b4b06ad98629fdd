"""Opening a target session: its client, its clock, its schemas and its clause routing.

Only the engine opens sessions (:class:`harness.engine.Engine`, and the building block
:func:`open_session` for tests and benchmarks); a session is a context manager that
closes its client and clock.
"""

from __future__ import annotations

import ssl
import time

import httpx

from harness.checks import SessionOptions, TargetSession, routing_for
from harness.client import HarnessClient
from harness.errors import TargetUnreachable
from harness.ratelimit import Clock, SystemClock
from harness.targets import Target
from harness.validation import SchemaStore, default_store

__all__ = ["EmulatorClock", "clock_for", "open_session"]


class EmulatorClock:
    """The clock of an emulator that allows clock control: sleeping advances it.

    ``now`` follows real time plus everything advanced so far, as the emulator's
    flowing clock does, so no control request is needed to read it.
    """

    def __init__(self, origin: str, verify: ssl.SSLContext | bool = True) -> None:
        self.origin = origin
        self._http = httpx.Client(verify=verify, timeout=10)
        reading = self._call("GET", None)
        self._base = float(reading["now"]) - time.monotonic()

    def _call(self, method: str, body: dict[str, float] | None) -> dict[str, float]:
        url = f"{self.origin}/__emulator__/clock"
        try:
            r = self._http.request(method, url, json=body)
        except httpx.HTTPError as exc:  # nothing answers: the emulator is not running
            raise TargetUnreachable(
                f"the emulator at {self.origin} did not answer ({type(exc).__name__}: {exc}); "
                "is it still running? Start it again (`harness emulate ... --target-file F`) "
                "and run with the target file it writes"
            ) from exc
        try:
            r.raise_for_status()
            data = r.json()
            float(data["now"])
        except (httpx.HTTPError, ValueError, TypeError, KeyError) as exc:
            raise TargetUnreachable(
                f"{url} answered {r.status_code} but not as an emulator's clock; if the "
                "target is not a harness emulator, set [allow] clock_control = false"
            ) from exc
        clock: dict[str, float] = data
        return clock

    def now(self) -> float:
        return self._base + time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)

    def advance(self, seconds: float) -> float:
        reading = self._call("POST", {"advance_seconds": seconds})
        self._base = float(reading["now"]) - time.monotonic()
        return self.now()

    def close(self) -> None:
        self._http.close()


def clock_for(target: Target) -> Clock:
    """The emulator's virtual clock where the target allows clock control, else real time."""
    if target.allow.clock_control and target.mode == "emulator":
        verify: ssl.SSLContext | bool = True
        if target.ca_bundle is not None:
            verify = ssl.create_default_context(cafile=str(target.ca_bundle))
        return EmulatorClock(target.origin, verify)
    return SystemClock()


def open_session(
    target: Target,
    *,
    store: SchemaStore | None = None,
    transport: httpx.BaseTransport | None = None,
    options: SessionOptions | None = None,
    clock: Clock | None = None,
) -> TargetSession:
    """Everything the checks of one target share: client, clock, schemas, clause routing."""
    routing = routing_for(target.vendor)
    clock = clock or clock_for(target)
    client = HarnessClient(target, clock=clock, transport=transport)
    return TargetSession(
        target=target,
        client=client,
        store=store or default_store(),
        routing=routing,
        controls_clock=isinstance(clock, EmulatorClock),
        options=options or SessionOptions(),
    )
