"""HarnessClient against hostile answers, in process: the total deadline, the body cap and
giving up on a target that keeps failing."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from harness.client import DEADLINE_TIMEOUTS, GIVE_UP_AFTER, HarnessClient
from harness.errors import TargetUnreachable
from harness.targets import load_target
from tests.hostile.servers import BEHAVIOURS, Tls, drip, hostile_server, hostile_target, make_tls


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


def _client(folder: Path, port: int, ca: Path, timeout: float, max_body: int) -> HarnessClient:
    path = hostile_target(folder, "unit", port, ca, timeout=timeout, max_body=max_body)
    return HarnessClient(load_target(path), throttle=False)


def test_a_dripping_body_hits_the_total_deadline(tls: Tls, tmp_path: Path) -> None:
    timeout = 0.5  # per read: a byte every 0.2 s never trips it
    with (
        hostile_server(drip(0.2), tls) as server,
        _client(tmp_path, server.port, tls.ca, timeout, 1 << 20) as client,
    ):
        started = time.monotonic()
        with pytest.raises(TargetUnreachable, match="timed out: the response took more than"):
            client.request("GET", "/requests", auth=None)
        seconds = time.monotonic() - started
    assert DEADLINE_TIMEOUTS * timeout <= seconds < DEADLINE_TIMEOUTS * timeout + 2


@pytest.mark.parametrize(
    ("behaviour", "detail"), [("huge", "exceeded"), ("huge-declared", "Content-Length: 52428800")]
)
def test_a_body_over_the_cap_stops_the_read(
    tls: Tls, tmp_path: Path, behaviour: str, detail: str
) -> None:
    with (
        hostile_server(BEHAVIOURS[behaviour], tls) as server,
        _client(tmp_path, server.port, tls.ca, 2.0, 64 * 1024) as client,
    ):
        with pytest.raises(TargetUnreachable, match="exceeded 65536 bytes") as info:
            client.request("GET", "/requests", auth=None)
        assert detail in str(info.value)
        # A body too large is an answer, not a transport failure: the target is not given up.
        with pytest.raises(TargetUnreachable, match="exceeded"):
            client.request("GET", "/requests", auth=None)
    assert len(server.requests) == 2


def test_a_silent_target_is_given_up_after_failures_in_a_row(tls: Tls, tmp_path: Path) -> None:
    with (
        hostile_server(BEHAVIOURS["silent"], tls) as server,
        _client(tmp_path, server.port, tls.ca, 0.3, 1 << 20) as client,
    ):
        for _ in range(GIVE_UP_AFTER):
            with pytest.raises(TargetUnreachable, match=r"timed out after 0\.3s"):
                client.request("GET", "/requests", auth=None)
        started = time.monotonic()
        with pytest.raises(TargetUnreachable, match="not tried, after 2 transport failures"):
            client.request("GET", "/requests", auth=None)
        assert time.monotonic() - started < 0.3
    assert len(server.requests) == GIVE_UP_AFTER


def _mock(fail: Callable[[httpx.Request], bool]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if fail(request):
            raise httpx.ConnectError("connection reset", request=request)
        return httpx.Response(200, json={})

    return httpx.MockTransport(handler)


def test_a_success_between_failures_keeps_the_target(tls: Tls, tmp_path: Path) -> None:
    path = hostile_target(tmp_path, "unit", 9, tls.ca)
    target = load_target(path)
    transport = _mock(lambda request: request.url.path.endswith("/bad"))
    with HarnessClient(target, transport=transport, throttle=False) as client:
        for _ in range(3):
            for _ in range(GIVE_UP_AFTER - 1):
                with pytest.raises(TargetUnreachable, match="connection reset"):
                    client.request("GET", "/bad", auth=None)
            assert client.request("GET", "/good", auth=None).status == 200


def test_an_unknown_ca_is_named_with_a_hint(tls: Tls, tmp_path: Path) -> None:
    stranger = make_tls(tmp_path, "stranger")
    with (
        hostile_server(BEHAVIOURS["empty"], tls) as server,
        _client(tmp_path, server.port, stranger.ca, 2.0, 1 << 20) as client,
        pytest.raises(TargetUnreachable, match=r"certificate verify failed.*ca_bundle"),
    ):
        client.request("GET", "/requests", auth=None)


def test_a_head_answer_may_declare_a_large_body(tls: Tls, tmp_path: Path) -> None:
    target = load_target(hostile_target(tmp_path, "unit", 9, tls.ca, max_body=1024))
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"Content-Length": "52428800"})
    )
    with HarnessClient(target, transport=transport, throttle=False) as client:
        exchange = client.request("HEAD", "/requests", auth=None)
    assert exchange.status == 200
    assert exchange.headers["content-length"] == "52428800"
    assert exchange.content == b""
