"""The building blocks of subtle faults, each against a tiny pure-ASGI app: a header present
but wrong, a field wrong only on errors, one response in N, one operation only; responses a
fault does not pick pass through byte for byte, and counts never leak between instances."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from harness.emulators._faults import (
    Every,
    Fault,
    drop_header,
    every_nth,
    json_field,
    off_by,
    on_errors,
    on_operation,
    on_request_header,
    on_status,
    on_success,
    replace_header,
    set_status,
)

Request = tuple[str, str]


async def tiny_app(scope: Scope, receive: Receive, send: Send) -> None:
    """GET /v1/people (a list, streamed in two chunks), GET /v1/people/{id}, 404 elsewhere."""
    path, method = scope["path"], scope["method"]
    headers = [(b"content-type", b"application/json"), (b"x-ratelimit-remaining", b"59")]
    if path == "/v1/people" and method in ("GET", "HEAD"):
        parts = [b'[{"id": 1, "message": "ok"}', b', {"id": 2, "message": "ok"}]']
        size = str(sum(len(p) for p in parts)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*headers, (b"content-length", size)],
            }
        )
        if method == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.body", "body": parts[0], "more_body": True})
        await send({"type": "http.response.body", "body": parts[1]})
        return
    if path.startswith("/v1/people/") and method == "GET":
        status, body = (
            200,
            {"id": int(path.rstrip("/").rsplit("/", 1)[1].removesuffix(".json")), "message": "ok"},
        )
    else:
        status, body = 404, {"message": "not found"}
        headers = headers[:1]  # errors carry no rate-limit header
    data = json.dumps(body).encode()
    headers.append((b"content-length", str(len(data)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def wrapped(fault: Fault, active: Callable[[], bool] = lambda: True) -> ASGIApp:
    assert fault.wrap is not None
    return fault.wrap(tiny_app, active)


def serve(app: ASGIApp, *requests: Request) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://emu") as client:
            return [await client.request(method, path) for method, path in requests]

    return asyncio.run(go())


def fault(wrap: Any, **kwargs: Any) -> Fault:
    return Fault("f", "X-CLAUSE", "a fault under test", wrap, **kwargs)


def test_a_replaced_header_is_present_but_wrong_and_an_absent_one_stays_absent() -> None:
    app = wrapped(fault(replace_header("X-RateLimit-Remaining", off_by(1))))
    ok, missing = serve(app, ("GET", "/v1/people/7"), ("GET", "/v1/nothing"))
    assert ok.headers["x-ratelimit-remaining"] == "60"
    assert "x-ratelimit-remaining" not in missing.headers


def test_a_json_field_can_be_right_on_success_and_wrong_on_errors() -> None:
    app = wrapped(fault(json_field("message", str.upper, when=on_errors)))
    ok, error = serve(app, ("GET", "/v1/people/7"), ("GET", "/v1/nothing"))
    assert ok.json() == {"id": 7, "message": "ok"}
    assert error.json() == {"message": "NOT FOUND"}
    assert int(error.headers["content-length"]) == len(error.content)


def test_a_json_field_changes_every_occurrence_at_any_depth_and_leaves_other_bodies_alone() -> None:
    app = wrapped(fault(json_field("id", str)))
    listed, missing = serve(app, ("GET", "/v1/people"), ("GET", "/v1/nothing"))
    assert [p["id"] for p in listed.json()] == ["1", "2"]
    assert missing.content == b'{"message": "not found"}'


def test_every_nth_breaks_exactly_one_response_in_n_and_the_same_ones_on_every_run() -> None:
    recipe = fault(drop_header("X-RateLimit-Remaining", when=every_nth(3)))
    runs = []
    for _ in range(2):  # two emulator instances of the same fault
        responses = serve(wrapped(recipe), *[("GET", f"/v1/people/{i}") for i in range(1, 10)])
        runs.append(["x-ratelimit-remaining" not in r.headers for r in responses])
    assert runs[0] == [False, False, True] * 3
    assert runs[1] == runs[0]


def test_every_nth_counts_only_the_responses_its_predicate_picks() -> None:
    one_op = on_operation("GET", "/v1/people/{id}")
    app = wrapped(fault(set_status(lambda status, scope: 500, when=every_nth(2, one_op))))
    requests = [("GET", "/v1/people"), ("GET", "/v1/people/1")] * 4
    statuses = [r.status_code for r in serve(app, *requests)]
    assert statuses == [200, 200, 200, 500, 200, 200, 200, 500]


def test_counting_starts_when_the_fault_is_switched_on() -> None:
    switch = {"on": False}
    app = wrapped(
        fault(drop_header("X-RateLimit-Remaining", when=every_nth(2))), lambda: switch["on"]
    )
    serve(app, *[("GET", "/v1/people/1")] * 3)  # off: not counted
    switch["on"] = True
    dropped = [
        "x-ratelimit-remaining" not in r.headers for r in serve(app, *[("GET", "/v1/people/1")] * 4)
    ]
    assert dropped == [False, True, False, True]


def test_two_instances_of_one_fault_count_apart() -> None:
    recipe = fault(drop_header("X-RateLimit-Remaining", when=every_nth(2)))
    first, second = wrapped(recipe), wrapped(recipe)
    serve(first, ("GET", "/v1/people/1"))
    (answer,) = serve(second, ("GET", "/v1/people/1"))
    assert "x-ratelimit-remaining" in answer.headers  # second's first response, not first's second


@pytest.mark.parametrize(
    ("request_", "picked"),
    [
        (("GET", "/v1/people/7"), True),
        (("GET", "/v1/people/7.json"), True),
        (("GET", "/v1/people/7/"), True),
        (("GET", "/v1/people"), False),
        (("POST", "/v1/people/7"), False),
        (("GET", "/v2/v1/people/7"), False),
    ],
)
def test_one_operation_is_its_method_and_path_template(request_: Request, picked: bool) -> None:
    app = wrapped(fault(set_status(lambda s, sc: 418, when=on_operation("get", "/v1/people/{id}"))))
    (answer,) = serve(app, request_)
    assert (answer.status_code == 418) is picked


def test_statuses_pick_errors_successes_or_named_codes() -> None:
    requests = [("GET", "/v1/people/1"), ("GET", "/v1/nothing")]
    for when, expected in [
        (on_errors, [200, 299]),
        (on_success, [299, 404]),
        (on_status(404), [200, 299]),
    ]:
        app = wrapped(fault(set_status(lambda s, sc: 299, when=when)))
        got = [r.status_code for r in serve(app, *requests)]
        assert got == expected, when


def test_conditions_combine_with_and() -> None:
    when = on_errors & on_operation("GET", "/v1/nothing")
    app = wrapped(fault(json_field("message", str.upper, when=when)))
    other, error = serve(app, ("GET", "/v1/other"), ("GET", "/v1/nothing"))
    assert other.json() == {"message": "not found"} and error.json() == {"message": "NOT FOUND"}


def test_a_request_header_picks_the_requests_that_carry_or_lack_it() -> None:
    for present, expected in [(True, [418, 200]), (False, [200, 418])]:
        when = on_request_header("Authorization", present=present)
        app = wrapped(fault(set_status(lambda s, sc: 418, when=when)))

        async def go(app: ASGIApp = app) -> list[int]:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="https://emu") as c:
                signed = await c.get("/v1/people/1", headers={"authorization": "Basic eDp5"})
                anonymous = await c.get("/v1/people/1")
                return [signed.status_code, anonymous.status_code]

        assert asyncio.run(go()) == expected


def test_responses_a_fault_does_not_pick_stream_through_byte_for_byte() -> None:
    app = wrapped(fault(json_field("message", str.upper, when=on_errors)))
    (clean,) = serve(tiny_app, ("GET", "/v1/people"))
    (through,) = serve(app, ("GET", "/v1/people"))
    assert through.content == clean.content
    assert through.headers.raw == clean.headers.raw


def test_a_head_answer_keeps_its_content_length_when_the_body_is_left_alone() -> None:
    app = wrapped(fault(replace_header("X-RateLimit-Remaining", off_by(-1))))
    (head,) = serve(app, ("HEAD", "/v1/people"))
    (get,) = serve(tiny_app, ("GET", "/v1/people"))
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["x-ratelimit-remaining"] == "58"


def test_a_fault_is_inactive_until_switched_on() -> None:
    app = wrapped(fault(replace_header("X-RateLimit-Remaining", off_by(1))), lambda: False)
    (answer,) = serve(app, ("GET", "/v1/people/1"))
    assert answer.headers["x-ratelimit-remaining"] == "59"


@pytest.mark.parametrize(
    ("wrap", "kind"),
    [
        (None, "blunt"),
        (drop_header("Link"), "blunt"),
        (replace_header("Link", str.upper), "wrong-value"),
        (json_field("message", str.upper, when=on_errors), "status-specific"),
        (drop_header("Link", when=on_operation("GET", "/v1/people")), "one-operation"),
        (replace_header("Link", str.upper, when=every_nth(4, on_errors)), "intermittent"),
    ],
)
def test_a_faults_kind_is_the_subtlest_of_its_blocks(wrap: Any, kind: str) -> None:
    made = fault(wrap)
    assert made.kind == kind
    assert made.subtle is (kind in ("status-specific", "one-operation", "intermittent"))


def test_a_declared_kind_wins_and_an_unknown_kind_names_the_known_ones() -> None:
    assert fault(None, kind="intermittent").subtle
    with pytest.raises(ValueError, match="kind='sneaky' is not a fault kind; use one of blunt"):
        fault(None, kind="sneaky")


def test_a_fault_that_follows_a_reading_is_proven_in_strict_mode() -> None:
    assert fault(None).mode == "lenient"
    assert fault(None, strict=True).mode == "strict"
    assert fault(None, reading="clamp").mode == "strict"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: every_nth(0), "every 0: expected a whole number >= 1"),
        (lambda: on_status(), "give one or more HTTP status codes"),
        (lambda: on_operation("GET", "people/{id}"), "must start with '/'"),
    ],
)
def test_bad_arguments_name_the_value_and_the_fix(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        make()


def test_off_by_moves_numbers_and_numeric_strings_only() -> None:
    change = off_by(-2)
    assert [change(v) for v in (10, "10", "-1", "soon", None, True)] == [
        8,
        "8",
        "-3",
        "soon",
        None,
        True,
    ]


def test_every_tells_a_switch_fault_when_to_misbehave() -> None:
    every = Every(3)
    assert [every() for _ in range(7)] == [False, False, True, False, False, True, False]
