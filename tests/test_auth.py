"""Auth flows follow each vendor profile, and token grants, expiry and renewal work on an
injected clock; tested through httpx.MockTransport, without sockets."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from harness.auth import ProfileAuth, render, resolve_pointer
from harness.errors import ConfigError, HarnessError
from harness.profiles import load_profile


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _client(auth: ProfileAuth, handler: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), auth=auth)  # type: ignore[arg-type]


def test_itrp_default_auth_wraps_the_api_token_in_basic_with_password_x() -> None:
    seen: list[httpx.Request] = []
    profile = load_profile("itrp")
    auth = ProfileAuth(profile, {"api_token": "tok123"}, "https://h/v1")
    with _client(auth, lambda r: seen.append(r) or httpx.Response(200, json={})) as c:
        c.get("https://h/v1/me")
    assert seen[0].headers["authorization"] == "Basic " + base64.b64encode(b"tok123:x").decode()


def test_itrp_query_auth_puts_the_token_in_the_query() -> None:
    seen: list[httpx.Request] = []
    profile = load_profile("itrp")
    scheme = next(a for a in profile.auth if a.kind == "query")
    auth = ProfileAuth(profile, {"api_token": "tok123"}, "https://h/v1", scheme=scheme)
    with _client(auth, lambda r: seen.append(r) or httpx.Response(200, json={})) as c:
        c.get("https://h/v1/me", params={"page": 2})
    assert seen[0].url.params["api_token"] == "tok123"
    assert seen[0].url.params["page"] == "2"
    assert "authorization" not in seen[0].headers


def test_trackops_basic_uses_the_username_slash_token_form() -> None:
    seen: list[httpx.Request] = []
    auth = ProfileAuth(load_profile("trackops"), {"username": "sam", "api_token": "k"}, "https://h")
    with _client(auth, lambda r: seen.append(r) or httpx.Response(200, json=[])) as c:
        c.get("https://h/clients")
    assert base64.b64decode(seen[0].headers["authorization"][6:]) == b"sam/token:k"


def test_turris_grants_a_token_once_and_grants_again_after_it_expires() -> None:
    clock = Clock()
    grants = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal grants
        if request.url.path.endswith("/auth/jwt"):
            grants += 1
            assert json.loads(request.content) == {"clientId": "id", "clientSecret": "sec"}
            return httpx.Response(
                201, json={"data": {"accessToken": f"jwt{grants}", "expiresIn": 3600}}
            )
        assert request.headers["authorization"] == f"Bearer jwt{grants}"
        return httpx.Response(200, json={"data": []})

    auth = ProfileAuth(
        load_profile("turris"),
        {"client_id": "id", "client_secret": "sec"},
        "https://h/v1",
        now=clock,
    )
    with _client(auth, handler) as c:
        c.get("https://h/v1/agents")
        c.get("https://h/v1/agents")
        assert grants == 1
        clock.t += 3600
        c.get("https://h/v1/agents")
    assert grants == 2


def test_a_401_for_an_expired_token_renews_and_repeats_the_request_once() -> None:
    calls: list[str] = []
    valid = {"a1"}

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(request.url.path)
        if request.url.path.endswith("/authorization/grant"):
            return httpx.Response(200, json={"data": {"access_token": "a1", "refresh_token": "r1"}})
        if request.url.path.endswith("/authorization/renew"):
            assert body == {"refresh_token": "r1"}
            valid.add("a2")
            return httpx.Response(200, json={"data": {"access_token": "a2", "refresh_token": "r2"}})
        if body.get("access_token") not in valid:
            return httpx.Response(401, json={"status": "ERROR"})
        assert body["data"] == {"filter": {}}
        return httpx.Response(200, json={"status": "SUCCESS"})

    auth = ProfileAuth(
        load_profile("turitop"), {"short_id": "s", "secret_key": "k"}, "https://h/v1"
    )
    with _client(auth, handler) as c:
        assert (
            c.post("https://h/v1/booking/getbookings", json={"data": {"filter": {}}}).status_code
            == 200
        )
        valid.discard("a1")  # the server expires the token
        assert (
            c.post("https://h/v1/booking/getbookings", json={"data": {"filter": {}}}).status_code
            == 200
        )
    assert calls == [
        "/v1/authorization/grant",
        "/v1/booking/getbookings",
        "/v1/booking/getbookings",
        "/v1/authorization/renew",
        "/v1/booking/getbookings",
    ]
    assert auth.token.refreshes == 1 and auth.token.refresh_token == "r2"


def test_a_refused_grant_is_a_harness_error_naming_the_endpoint() -> None:
    auth = ProfileAuth(
        load_profile("turris"), {"client_id": "i", "client_secret": "bad"}, "https://h/v1"
    )
    with (
        _client(auth, lambda r: httpx.Response(401, json={})) as c,
        pytest.raises(HarnessError, match=r"POST /auth/jwt answered 401 without a token"),
    ):
        c.get("https://h/v1/agents")


def test_a_template_naming_a_missing_credential_says_which() -> None:
    with pytest.raises(ConfigError, match=r"credentials.api_token.*add it"):
        render("{api_token}", {})


def test_pointers_resolve_into_objects_and_arrays() -> None:
    doc = {"data": {"items": [{"id": 7}]}}
    assert resolve_pointer(doc, "/data/items/0/id") == 7
    assert resolve_pointer(doc, "/data/missing") is None
    assert resolve_pointer(doc, "") == doc
