"""No object that holds a credential shows it in its repr (tracebacks, logs, debuggers)."""

from __future__ import annotations

import httpx

from harness.auth import TokenState
from harness.client import Exchange

SECRET = "repr-secret-5e7a9c1b3d"


def test_a_token_state_hides_its_tokens() -> None:
    state = TokenState(access_token=SECRET, refresh_token=SECRET + "r", expires_at=1.0)
    assert SECRET not in repr(state) and "expires_at=1.0" in repr(state)


def test_an_exchange_hides_what_it_sent_and_received() -> None:
    exchange = Exchange(
        method="GET",
        url=f"https://h/v1/me?api_token={SECRET}",
        request_headers=(("Authorization", f"Bearer {SECRET}"),),
        request_body=f'{{"secret_key": "{SECRET}"}}'.encode(),
        status=200,
        headers=httpx.Headers({"set-cookie": f"s={SECRET}"}),
        content=f'{{"access_token": "{SECRET}"}}'.encode(),
        elapsed=0.1,
    )
    assert SECRET not in repr(exchange) and "status=200" in repr(exchange)
