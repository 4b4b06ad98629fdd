"""Shared machinery of the emulators: context, control endpoint, assembly.

A vendor emulator is one package ``harness.emulators.<vendor>`` (one per vendor folder
under ``schemas/``), every package built on the same template::

    __init__.py   docstring: the emulated API and the package's modules; re-exports exactly
                  FAULTS, credentials and create_app (nothing else is public)
    _app.py       def create_app(ctx: EmulatorContext) -> ASGIApp: the clean vendor app
    _data.py      the seeded records and def credentials() -> dict[str, str] (the target
                  file's credential keys)
    _faults.py    FAULTS: tuple[Fault, ...], the one place each fault is registered (switch
                  faults and middleware faults alike), with the fault-name constants the
                  app imports where it consults a switch (``ctx.fault(NAME)``)
    _<topic>.py   vendor-specific helpers named for what they hold (``_paging``,
                  ``_openapi``, ``_tokens``, ...)

``tests/emulators/test_template.py`` holds every vendor package to this template. A
vendor added from outside (a folder on ``$HARNESS_VENDOR_PATH``) brings its emulator as
one module ``emulator.py`` in its folder, exposing the same three names.
``build_app`` wraps the clean app in its fault middlewares and the control layer
(``/__emulator__/clock``, ``/__emulator__/faults``, ``/__emulator__/stats``, and
``/__emulator__/restore``: lasting state such as a reset credential back as seeded;
loopback only).
"""

from __future__ import annotations

import importlib
import importlib.util
import ipaddress
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from harness._resources import vendor_folder
from harness.emulators._clock import VirtualClock
from harness.emulators._faults import Fault, FaultSwitch
from harness.emulators._latency import Latency
from harness.emulators._ratelimit import WindowLimiter
from harness.profiles import Profile, RateRule, load_profile

CONTROL_PREFIX = "/__emulator__"


class VendorModule(Protocol):
    FAULTS: tuple[Fault, ...]

    def credentials(self) -> dict[str, str]: ...

    def create_app(self, ctx: EmulatorContext) -> ASGIApp: ...


@dataclass
class Stats:
    """What the emulator has served: for tests that a run stayed polite."""

    requests: int = 0
    writes: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "by_method": dict(self.by_method),
            "by_status": {str(k): v for k, v in self.by_status.items()},
            "writes": self.writes,
            "rate_limited": self.by_status.get(429, 0),
        }


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WriteClassifier:
    """Whether a request changes state, by the profile's operations (TuriTop reads are POSTs).

    A request matching a documented operation takes that operation's ``write`` flag;
    any other POST/PUT/PATCH/DELETE counts as a write when it was accepted (2xx): a
    probe of an unknown path that answers 404 changed nothing.
    """

    def __init__(self, profile: Profile) -> None:
        base = urlsplit(profile.base_url).path.rstrip("/")
        suffix = r"(\.json)?/?$"
        self._ops = [
            (op.method, re.compile(re.escape(base) + _template(op.path) + suffix), op.write)
            for op in profile.operations
        ]

    def __call__(self, method: str, path: str, status: int) -> bool:
        for op_method, pattern, write in self._ops:
            if op_method == method and pattern.match(path):
                return write
        # No documented operation: a write only if the server accepted it.
        return method in WRITE_METHODS and 200 <= status < 300


def _template(path: str) -> str:
    return re.sub(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}", "[^/]+", re.escape(path))


@dataclass
class EmulatorContext:
    """What a vendor app gets: its profile, the clock, the faults and options."""

    profile: Profile
    clock: VirtualClock
    faults: FaultSwitch
    seed: int = 1
    options: dict[str, Any] = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)
    # lasting state a probe may change (credentials), by name -> puts it back as seeded;
    # ``POST /__emulator__/restore`` calls every one
    restorers: dict[str, Callable[[], None]] = field(default_factory=dict)
    _limiters: dict[str, WindowLimiter] = field(default_factory=dict)

    def fault(self, name: str) -> bool:
        """Whether the named switch fault is active now."""
        return self.faults(name)

    def limiter(self, name: str, limit: int, window_seconds: float) -> WindowLimiter:
        """A named limiter on the virtual clock (created once, then shared)."""
        found = self._limiters.get(name)
        if found is None:
            found = WindowLimiter(limit, window_seconds, self.clock)
            self._limiters[name] = found
        return found

    def limiter_for(self, rule: RateRule) -> WindowLimiter:
        """The limiter of a profile rule; ``options['rate_limits'][applies_to]`` overrides."""
        override = self.options.get("rate_limits", {}).get(rule.applies_to)
        limit = int(override) if override else rule.requests
        name = f"{rule.applies_to}:{rule.key_prefix or '*'}"
        return self.limiter(name, limit, rule.window_seconds)


def vendor_module(vendor: str) -> VendorModule:
    """The emulator of a vendor: ``emulator.py`` in its folder, else
    ``harness.emulators.<vendor>``."""
    path = vendor_folder(vendor) / "emulator.py"
    if not path.is_file():
        module: ModuleType = importlib.import_module(f"harness.emulators.{vendor}")
        return cast(VendorModule, module)
    name = f"harness_vendor_{vendor}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load the emulator of {vendor} from {path}")
        loaded = importlib.util.module_from_spec(spec)
        sys.modules[name] = loaded
        spec.loader.exec_module(loaded)
    return cast(VendorModule, sys.modules[name])


def _is_loopback(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return True  # in-process transport
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


class ControlLayer:
    """Pure-ASGI outermost layer: the control endpoints and request statistics."""

    def __init__(self, app: ASGIApp, ctx: EmulatorContext) -> None:
        self.app = app
        self.ctx = ctx
        self.is_write = WriteClassifier(ctx.profile)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(CONTROL_PREFIX + "/") and _is_loopback(scope):
            await self._control(scope, receive, send)
            return
        stats = self.ctx.stats
        stats.requests += 1
        stats.by_method[scope["method"]] += 1

        async def counting(message: Any) -> None:
            if message["type"] == "http.response.start":
                stats.by_status[message["status"]] += 1
                stats.writes += self.is_write(scope["method"], scope["path"], message["status"])
            await send(message)

        await self.app(scope, receive, counting)

    async def _control(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        what = scope["path"][len(CONTROL_PREFIX) + 1 :].strip("/")
        try:
            payload = json.loads(body) if body else {}
            status, answer = 200, self._handle(what, scope["method"], payload)
        except (ValueError, TypeError, KeyError) as exc:
            status, answer = 400, {"error": str(exc)}
        except LookupError:
            status, answer = 404, {"error": f"no control endpoint {what!r}"}
        data = json.dumps(answer).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})

    def _handle(self, what: str, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        ctx = self.ctx
        if what == "clock":
            if method == "POST":
                seconds = payload.get("advance_seconds")
                if not isinstance(seconds, int | float) or isinstance(seconds, bool):
                    raise ValueError(
                        f"advance_seconds={seconds!r}: expected a number of seconds >= 0, "
                        'e.g. {"advance_seconds": 3600}'
                    )
                ctx.clock.advance(float(seconds))
            return {"now": ctx.clock.now(), "offset": ctx.clock.offset}
        if what == "faults":
            if method == "POST":
                ctx.faults.set(payload.get("enable", ()), payload.get("disable", ()))
            return {
                "active": list(ctx.faults.active),
                "available": {f.name: f.clause for f in ctx.faults.catalog.values()},
            }
        if what == "latency":
            if method == "POST":
                seconds = payload.get("seconds")
                if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
                    raise ValueError(
                        f"seconds={seconds!r}: expected a delay >= 0 per response, "
                        'e.g. {"seconds": 0.3}'
                    )
                ctx.options["latency_seconds"] = float(seconds)
            return {"seconds": float(ctx.options.get("latency_seconds", 0.0))}
        if what == "restore":
            if method == "POST":
                for restore in ctx.restorers.values():
                    restore()
            return {"restorable": sorted(ctx.restorers)}
        if what == "stats":
            if method == "POST" and payload.get("reset"):
                ctx.stats = Stats()
            return ctx.stats.as_dict()
        raise LookupError(what)


def build_app(
    vendor: str,
    faults: tuple[str, ...] = (),
    *,
    clock: VirtualClock | None = None,
    seed: int = 1,
    options: dict[str, Any] | None = None,
) -> tuple[ASGIApp, EmulatorContext]:
    """The full emulator app of a vendor with the named faults active."""
    module = vendor_module(vendor)
    ctx = EmulatorContext(
        profile=load_profile(vendor),
        clock=clock or VirtualClock(),
        faults=FaultSwitch(module.FAULTS, faults),
        seed=seed,
        options=dict(options or {}),
    )
    app = module.create_app(ctx)
    for fault in module.FAULTS:
        if fault.wrap is not None:
            app = fault.wrap(app, ctx.faults.is_active(fault.name))
    app = Latency(app, lambda: float(ctx.options.get("latency_seconds", 0.0)))
    return ControlLayer(app, ctx), ctx
