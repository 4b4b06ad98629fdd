"""The shared emulator machinery: virtual clock, window limiter, faults, control layer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from harness.emulators._base import ControlLayer, EmulatorContext
from harness.emulators._clock import VirtualClock
from harness.emulators._faults import Fault, FaultSwitch, drop_header, rewrite_json, set_status
from harness.emulators._ratelimit import WindowLimiter
from harness.profiles import load_profile


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_frozen_clock_moves_only_when_advanced() -> None:
    clock = VirtualClock(1000.0, flowing=False)
    assert clock.now() == 1000.0
    assert clock.advance(3600) == 4600.0


def test_a_flowing_clock_follows_real_time_plus_the_offset() -> None:
    mono = FakeMonotonic()
    clock = VirtualClock(1000.0, monotonic=mono)
    mono.t += 5
    clock.advance(10)
    assert clock.now() == 1015.0


def test_the_clock_refuses_to_go_back() -> None:
    with pytest.raises(ValueError, match="advance_seconds=-1 is negative"):
        VirtualClock(0, flowing=False).advance(-1)


def test_a_window_limiter_allows_the_limit_then_refuses_until_the_next_window() -> None:
    clock = VirtualClock(7200.0, flowing=False)
    limiter = WindowLimiter(3, 3600, clock)
    decisions = [limiter.hit("k") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions[:3]] == [2, 1, 0]
    assert decisions[3].retry_after == 3600
    clock.advance(3600)
    assert limiter.hit("k").allowed
    assert limiter.hit("other").remaining == 2


def _toy_app() -> Starlette:
    async def hello(request: Request) -> JSONResponse:
        return JSONResponse({"hello": "world", "n": 1}, headers={"x-extra": "1"})

    return Starlette(routes=[Route("/hello", hello)])


def _serve(app: Any, method: str, path: str, body: Any = None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://emu") as client:
            return await client.request(method, path, json=body)

    return asyncio.run(go())


def _ctx(faults: tuple[Fault, ...] = ()) -> EmulatorContext:
    return EmulatorContext(
        profile=load_profile("itrp"),
        clock=VirtualClock(0, flowing=False),
        faults=FaultSwitch(faults),
    )


def test_the_control_endpoint_advances_the_clock() -> None:
    ctx = _ctx()
    app = ControlLayer(_toy_app(), ctx)
    response = _serve(app, "POST", "/__emulator__/clock", {"advance_seconds": 60})
    assert response.status_code == 200
    assert response.json()["now"] == 60
    assert ctx.clock.now() == 60


def test_the_control_endpoint_names_a_bad_advance_value() -> None:
    app = ControlLayer(_toy_app(), _ctx())
    response = _serve(app, "POST", "/__emulator__/clock", {"advance_seconds": "soon"})
    assert response.status_code == 400
    assert "advance_seconds='soon'" in response.json()["error"]


def test_faults_switch_at_run_time_and_rewrite_only_while_active() -> None:
    faults = (
        Fault("no-extra", "ITRP-X", "drops x-extra", drop_header("x-extra")),
        Fault("bad-json", "ITRP-Y", "changes n", rewrite_json(lambda b, s, st: {**b, "n": "one"})),
        Fault("teapot", "ITRP-Z", "status 418", set_status(lambda st, s: 418)),
    )
    ctx = _ctx(faults)
    app: Any = _toy_app()
    for fault in faults:
        assert fault.wrap is not None
        app = fault.wrap(app, ctx.faults.is_active(fault.name))
    app = ControlLayer(app, ctx)
    clean = _serve(app, "GET", "/hello")
    assert clean.headers["x-extra"] == "1" and clean.json()["n"] == 1
    _serve(app, "POST", "/__emulator__/faults", {"enable": ["no-extra", "bad-json"]})
    broken = _serve(app, "GET", "/hello")
    assert "x-extra" not in broken.headers
    assert broken.json()["n"] == "one"
    assert broken.status_code == 200
    assert int(broken.headers["content-length"]) == len(json.dumps({"hello": "world", "n": "one"}))
    _serve(app, "POST", "/__emulator__/faults", {"disable": ["no-extra", "bad-json"]})
    assert _serve(app, "GET", "/hello").json()["n"] == 1


def test_an_unknown_fault_is_refused_with_the_known_names() -> None:
    app = ControlLayer(_toy_app(), _ctx((Fault("a", "ITRP-A", "a"),)))
    response = _serve(app, "POST", "/__emulator__/faults", {"enable": ["b"]})
    assert response.status_code == 400
    assert "unknown fault 'b'" in response.json()["error"] and "a" in response.json()["error"]


def test_stats_count_requests_methods_and_statuses() -> None:
    ctx = _ctx()
    app = ControlLayer(_toy_app(), ctx)
    _serve(app, "GET", "/hello")
    _serve(app, "GET", "/missing")
    stats = _serve(app, "GET", "/__emulator__/stats").json()
    assert stats["requests"] == 2
    assert stats["by_status"] == {"200": 1, "404": 1}
    assert stats["writes"] == 0


def test_writes_are_counted_by_documented_operation_not_by_method() -> None:
    from harness.emulators._base import WriteClassifier

    turitop = WriteClassifier(load_profile("turitop"))
    assert not turitop("POST", "/v1/booking/getbookings", 200)  # a read, sent as POST
    assert turitop("POST", "/v1/booking/tour/insert", 400)  # a documented write, even refused
    assert not turitop("POST", "/v1/no/such/operation", 404)  # refused probe: nothing changed
    assert turitop("POST", "/v1/no/such/operation", 200)  # accepted: counted to be safe
    itrp = WriteClassifier(load_profile("itrp"))
    assert itrp("PUT", "/v1/requests/7", 200) and not itrp("GET", "/v1/requests.json", 200)
