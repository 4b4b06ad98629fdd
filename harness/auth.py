"""Authentication as httpx auth flows, one per documented scheme, driven by the profile.

Each flow is a generator (``httpx.Auth.auth_flow``): it yields requests and receives
responses, so token grants, renewals and the retry after a 401 are unit-tested
without sockets. Time is injected (``now``), so token lifetimes are checked on the
caller's clock.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from harness.errors import ConfigError, HarnessError
from harness.profiles import AuthScheme, Exchange, Profile
from harness.redaction import register_secret

__all__ = ["ProfileAuth", "TokenState", "render", "resolve_pointer"]


def render(template: Any, values: Mapping[str, str]) -> Any:
    """Fill ``{name}`` placeholders in a template string, or recursively in a JSON body."""
    if isinstance(template, str):
        try:
            return template.format_map(values)
        except KeyError as exc:
            raise ConfigError(
                None,
                f"credentials.{exc.args[0]}",
                f"is needed by the template {template!r}",
                "add it to the target file's [credentials]",
            ) from None
    if isinstance(template, Mapping):
        return {k: render(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [render(v, values) for v in template]
    return template


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at an RFC 6901 pointer, or None when absent."""
    current = document
    for raw in pointer.split("/")[1:] if pointer else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


@dataclass
class TokenState:
    access_token: str | None = field(default=None, repr=False)  # secrets: never in a repr
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    grants: int = 0
    refreshes: int = 0


class ProfileAuth(httpx.Auth):
    """Authenticate as the profile's scheme says, with the target's credentials."""

    requires_response_body = True

    def __init__(
        self,
        profile: Profile,
        credentials: Mapping[str, str],
        base_url: str,
        *,
        scheme: AuthScheme | None = None,
        now: Callable[[], float] = time.time,
        token: TokenState | None = None,
    ) -> None:
        self.profile = profile
        self.scheme = scheme or profile.auth[0]
        self.credentials = dict(credentials)
        self.base_url = base_url.rstrip("/")
        self.now = now
        self.token = token or TokenState()

    @property
    def reads_answers(self) -> bool:
        """Whether the flow looks at responses (a token flow: grants, renewal after a 401);
        a flow that only applies credentials sends the one request and is done."""
        return self.scheme.from_token

    # -- the flow -------------------------------------------------------------------
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme.from_token:
            if self._needs_token():
                yield from self._obtain()
            response = yield self._apply(request)
            flow = self.profile.token
            if flow is not None and response.status_code == flow.expired_status:
                yield from self._obtain(renew=True)
                yield self._apply(request)
            return
        yield self._apply(request)

    def _needs_token(self) -> bool:
        t = self.token
        return t.access_token is None or (t.expires_at is not None and self.now() >= t.expires_at)

    def _obtain(self, renew: bool = False) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self.profile.token
        if flow is None:
            raise ConfigError(
                self.profile.path, "token", "is missing", "a from_token auth scheme needs [token]"
            )
        use_refresh = flow.refresh is not None and self.token.refresh_token is not None
        exchange = flow.refresh if use_refresh else flow.grant
        assert exchange is not None
        values = {**self.credentials, "refresh_token": self.token.refresh_token or ""}
        response = yield self._exchange_request(exchange, values)
        if response.status_code >= 400 and use_refresh:
            # a refused refresh token: start again from the grant
            response = yield self._exchange_request(flow.grant, values)
            exchange = flow.grant
        self._store(exchange, response)

    def _exchange_request(self, exchange: Exchange, values: Mapping[str, str]) -> httpx.Request:
        body = render(dict(exchange.body), values) if exchange.body else None
        return httpx.Request(exchange.method, self.base_url + exchange.path, json=body)

    def _store(self, exchange: Exchange, response: httpx.Response) -> None:
        try:
            data = response.json()
        except ValueError:
            data = None
        token = resolve_pointer(data, exchange.access_token or "")
        if response.status_code >= 400 or not isinstance(token, str):
            raise HarnessError(
                f"{self.profile.name}: the token request {exchange.method} {exchange.path} "
                f"answered {response.status_code} without a token at "
                f"{exchange.access_token!r}; check the credentials in the target file"
            )
        flow = self.profile.token
        assert flow is not None
        lifetime = resolve_pointer(data, exchange.expires_in or "") if exchange.expires_in else None
        seconds = lifetime if isinstance(lifetime, int | float) else flow.lifetime_seconds
        refresh = (
            resolve_pointer(data, exchange.refresh_token or "") if exchange.refresh_token else None
        )
        self.token.access_token = token
        self.token.expires_at = self.now() + float(seconds)
        if isinstance(refresh, str):
            self.token.refresh_token = refresh
        # masked in every output from now on, wherever they turn up (the exchanges that
        # carried them may be redacted later: reports redact bodies on first use)
        register_secret(*(t for t in (token, self.token.refresh_token) if t))
        if exchange is flow.grant:
            self.token.grants += 1
        else:
            self.token.refreshes += 1

    # -- applying credentials -------------------------------------------------------
    def _apply(self, request: httpx.Request) -> httpx.Request:
        s = self.scheme
        values = {**self.credentials, "access_token": self.token.access_token or ""}
        if s.kind == "basic":
            user = render(s.username or "", values)
            password = render(s.password or "", values)
            raw = f"{user}:{password}".encode()
            request.headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        elif s.kind == "bearer":
            value = render(s.value or "{access_token}", values)
            request.headers["Authorization"] = f"Bearer {value}"
        elif s.kind == "header":
            request.headers[s.name or "Authorization"] = render(s.value or "", values)
        elif s.kind == "query":
            value = render(s.value or "", values)
            request.url = request.url.copy_merge_params({s.name or "api_token": value})
        elif s.kind == "body":
            request = self._with_body_field(
                request, s.name or "access_token", render(s.value or "{access_token}", values)
            )
        return request

    @staticmethod
    def _with_body_field(request: httpx.Request, name: str, value: str) -> httpx.Request:
        raw = request.content
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return request  # not JSON: leave it for the check that sent it
        if not isinstance(body, dict):
            return request
        body[name] = value
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        rebuilt = httpx.Request(request.method, request.url, headers=headers, json=body)
        rebuilt.extensions = request.extensions
        return rebuilt
