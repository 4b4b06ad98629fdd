"""The ITRP hourly rate limit (3600 per login), on a frozen virtual clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from harness.emulators import RunningEmulator, VirtualClock, build_app
from harness.validation import SchemaStore
from tests.emulators.conftest import advance, client_for, no_delay
from tests.emulators.test_itrp import PASSWORD_AUTH, TOKEN_AUTH, valid

HOUR = 3600
START = 1_750_000_000 // HOUR * HOUR + 600  # ten minutes into an hour window


def test_every_response_reports_the_limit_of_3600_and_one_less_remaining_each_time(
    start: Callable[..., RunningEmulator],
) -> None:
    emu = no_delay(start("itrp", clock=VirtualClock(START, flowing=False)))
    with client_for(emu, auth=TOKEN_AUTH) as client:
        responses = [
            client.get("/requests"),
            client.get("/me_too"),
            client.get("/people/1"),
            client.get("/requests", params={"per_page": 0}),
        ]
    assert [r.status_code for r in responses] == [200, 404, 403, 400]
    assert {r.headers["x-ratelimit-limit"] for r in responses} == {"3600"}
    assert [r.headers["x-ratelimit-remaining"] for r in responses] == [
        "3599",
        "3598",
        "3597",
        "3596",
    ]


def test_the_limit_is_enforced_at_exactly_the_3601st_request_of_the_hour() -> None:
    clock = VirtualClock(START, flowing=False)
    app, _ = build_app("itrp", clock=clock)

    async def run() -> tuple[list[int], httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://emu/v1", auth=TOKEN_AUTH
        ) as client:
            statuses = [(await client.get("")).status_code for _ in range(HOUR)]
            refused = await client.get("/me")
            clock.advance(HOUR - 600)
            return statuses, refused, await client.get("/me")

    statuses, refused, recovered = asyncio.run(run())
    assert statuses == [200] * HOUR
    assert refused.status_code == 429
    assert refused.json() == {"message": "Too Many Requests"}
    assert refused.headers["retry-after"] == str(HOUR - 600)
    assert recovered.status_code == 200
    assert recovered.headers["x-ratelimit-remaining"] == str(HOUR - 1)


def test_over_the_limit_answers_429_with_retry_after_seconds_and_recovers_next_hour(
    start: Callable[..., RunningEmulator], store: SchemaStore
) -> None:
    emu = no_delay(
        start("itrp", clock=VirtualClock(START, flowing=False), options={"rate_limits": {"all": 5}})
    )
    with client_for(emu, auth=TOKEN_AUTH) as client:
        allowed = [client.get("/me") for _ in range(5)]
        refused = client.get("/me")
        assert [r.status_code for r in allowed] == [200] * 5
        assert refused.status_code == 429
        valid(store, "error.schema.json", refused.json())
        assert refused.json() == {"message": "Too Many Requests"}
        for group in ("retry-after", "content", "rate-limit"):
            problems = store.validate_headers(
                f"headers-{group}.schema.json", dict(refused.headers), "itrp"
            )
            assert not problems, problems
        assert refused.headers["retry-after"] == "3000"
        assert refused.headers["x-ratelimit-remaining"] == "0"
        advance(emu, 2999)
        assert client.get("/me").status_code == 429
        assert client.get("/me").headers["retry-after"] == "1"
        advance(emu, 1)
        again = client.get("/me")
    assert again.status_code == 200
    assert again.headers["x-ratelimit-remaining"] == "4"


def test_the_budget_belongs_to_the_login_whatever_scheme_it_uses(
    start: Callable[..., RunningEmulator],
) -> None:
    emu = no_delay(
        start("itrp", clock=VirtualClock(START, flowing=False), options={"rate_limits": {"all": 3}})
    )
    with client_for(emu) as client:
        client.get("/me", auth=TOKEN_AUTH)
        client.get("/me", auth=PASSWORD_AUTH)
        client.get("/me", params={"api_token": TOKEN_AUTH[0]})
        assert client.get("/me", auth=PASSWORD_AUTH).status_code == 429
        anonymous = client.get("")  # no login: counted by client address instead
    assert anonymous.status_code == 200
    assert anonymous.headers["x-ratelimit-remaining"] == "2"


def test_a_json_p_caller_over_the_limit_sees_429_and_retry_after_in_meta(
    start: Callable[..., RunningEmulator],
) -> None:
    emu = no_delay(
        start("itrp", clock=VirtualClock(START, flowing=False), options={"rate_limits": {"all": 1}})
    )
    with client_for(emu, auth=TOKEN_AUTH) as client:
        client.get("/me")
        wrapped = client.get("/me", params={"callback": "cb"})
    assert wrapped.text.startswith('cb({"meta": {"status": 429')
    assert '"Retry-After": "3000"' in wrapped.text
