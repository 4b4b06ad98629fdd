"""The harness's HTTP client: one per target, polite by construction.

- auth flows from the profile (:mod:`harness.auth`), or none, or another scheme;
- a client-side throttle under the documented rate limit, on an injected clock;
- a request budget; read-only unless the target allows writes;
- every exchange recorded (for evidence, Allure steps and statistics);
- transport failures mapped at one point to :class:`~harness.errors.TargetUnreachable`.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from harness.auth import ProfileAuth, TokenState
from harness.errors import HarnessError, TargetUnreachable
from harness.findings import EVIDENCE_BODY_LIMIT, Evidence
from harness.profiles import AuthScheme
from harness.profiles import Exchange as Exchange_
from harness.ratelimit import Clock, SystemClock, Throttle
from harness.redaction import Redactor
from harness.targets import Target

__all__ = [
    "BudgetExhausted",
    "Exchange",
    "HarnessClient",
    "WriteNotAllowed",
]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# httpx's timeouts are per operation (connect, each read): a server sending one byte a
# second never trips them. One request may take at most this many timeouts in total.
DEADLINE_TIMEOUTS = 3
# After this many transport failures in a row, the target is given up for the run:
# later requests fail at once instead of each waiting out its own timeout.
GIVE_UP_AFTER = 2


class BudgetExhausted(HarnessError):
    """The run used up the target's request budget; further checks are skipped."""


class WriteNotAllowed(HarnessError):
    """A check tried to change state on a target that does not allow writes."""


class _TooSlow(Exception):
    """A response body still arriving at the request's total deadline."""


@dataclass
class Exchange:
    """One request and its response, as sent and received (not yet redacted: no field that
    may carry a credential is in its repr)."""

    method: str
    url: str = field(repr=False)
    request_headers: tuple[tuple[str, str], ...] = field(repr=False)
    request_body: bytes = field(repr=False)
    status: int
    headers: httpx.Headers = field(repr=False)
    content: bytes = field(repr=False)
    elapsed: float
    operation: str = ""
    _json: Any = field(default=None, repr=False)
    _parsed: bool = field(default=False, repr=False)

    @property
    def status_code(self) -> int:
        return self.status

    def json(self) -> Any:
        """The JSON body, or None when it is not JSON."""
        if not self._parsed:
            self._parsed = True
            try:
                import json

                self._json = json.loads(self.content) if self.content else None
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    @property
    def is_json(self) -> bool:
        return self.json() is not None or self.content.strip() == b"null"

    def evidence(
        self, redactor: Redactor, note: str = "", limit: int = EVIDENCE_BODY_LIMIT
    ) -> Evidence:
        return Evidence(
            method=self.method,
            url=redactor.url(self.url),
            status=self.status,
            request_headers=redactor.headers(self.request_headers),
            response_headers=redactor.headers(self.headers.multi_items()),
            body_excerpt=redactor.body(self.content, limit),
            note=redactor.text(note),
            request_body=redactor.body(self.request_body, limit) if self.request_body else "",
        )


class HarnessClient:
    """Sends requests to one target, within its budget, rate limit and permissions."""

    def __init__(
        self,
        target: Target,
        *,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        throttle: bool = True,
    ) -> None:
        self.target = target
        self.profile = target.profile
        self.clock = clock or SystemClock()
        self.redactor = Redactor(target.secrets)
        self.exchanges: list[Exchange] = []
        self.sent = 0
        self.listeners: list[Callable[[Exchange], None]] = []
        self.token = TokenState()
        self._auth_cache: dict[str, ProfileAuth] = {}
        verify: ssl.SSLContext | bool = True
        if target.ca_bundle is not None:
            verify = ssl.create_default_context(cafile=str(target.ca_bundle))
        self._http = httpx.Client(
            verify=verify,
            timeout=httpx.Timeout(target.transport.timeout_seconds),
            proxy=target.transport.proxy,
            transport=transport,
            follow_redirects=False,
        )
        self._injected = transport
        self._throttles: dict[str, Throttle] = {}
        self._throttle_on = throttle
        self._failures: list[str] = []  # transport failures in a row

    def close(self) -> None:
        self._http.close()

    def unthrottled(self) -> HarnessClient:
        """A second client for the same target without the throttle (for checks that drive
        a limit over its number): the same clock, token state, injected transport and
        listeners (its exchanges reach the reports), counting on from this one's requests.
        The caller adds its ``sent`` back and closes it."""
        fast = HarnessClient(
            self.target, clock=self.clock, transport=self._injected, throttle=False
        )
        fast.token = self.token
        fast.sent = self.sent
        fast.listeners = list(self.listeners)
        return fast

    def __enter__(self) -> HarnessClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- auth ---------------------------------------------------------------------
    def auth_for(self, scheme: AuthScheme | str | None = "default") -> ProfileAuth | None:
        """The auth flow of a scheme (by id), the default one, or None for no auth."""
        if scheme is None:
            return None
        if scheme == "default":
            scheme = self.profile.auth[0]
        elif isinstance(scheme, str):
            scheme = next(
                (a for a in self.profile.auth if a.id == scheme), None
            ) or self._no_scheme(scheme)
        found = self._auth_cache.get(scheme.id)
        if found is None:
            found = ProfileAuth(
                self.profile,
                self.target.credentials,
                self.target.base_url,
                scheme=scheme,
                now=self.clock.now,
                token=self.token if scheme.from_token else None,
            )
            self._auth_cache[scheme.id] = found
        return found

    def _no_scheme(self, name: str) -> AuthScheme:
        known = ", ".join(a.id for a in self.profile.auth)
        raise HarnessError(f"{self.profile.name} has no auth scheme {name!r}; known: {known}")

    def has_credentials(self, scheme: AuthScheme) -> bool:
        return all(self.target.credentials.get(k) for k in scheme.credentials)

    # -- sending --------------------------------------------------------------------
    def url(self, path: str) -> str:
        return path if "://" in path else self.target.base_url + path

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        auth: AuthScheme | str | httpx.Auth | None = "default",
        operation: str = "",
        write: bool | None = None,
    ) -> Exchange:
        """Send one request (and whatever its auth flow needs) and record it."""
        method = method.upper()
        is_write = (method in WRITE_METHODS) if write is None else write
        if is_write and not self.target.allow.writes:
            raise WriteNotAllowed(
                f"{method} {path} would change state on {self.target.name}; "
                "set [allow] writes = true in the target file to permit write probes"
            )
        flow = auth if isinstance(auth, httpx.Auth) else self.auth_for(auth)
        request = self._http.build_request(
            method, self.url(path), params=params, json=json, content=content, headers=headers
        )
        return self._send(request, flow, operation, is_write)

    def _send(
        self, request: httpx.Request, flow: httpx.Auth | None, operation: str, is_write: bool
    ) -> Exchange:
        if flow is None:
            return self._send_one(request, operation, is_write)
        generator = flow.sync_auth_flow(request)
        outgoing = next(generator)
        if isinstance(flow, ProfileAuth) and not flow.reads_answers:
            generator.close()  # credentials applied; the flow has nothing more to send
            return self._send_one(outgoing, operation, is_write)
        while True:
            exchange = self._send_one(outgoing, operation, is_write)
            response = httpx.Response(
                exchange.status,
                headers=exchange.headers,
                content=exchange.content,
                request=outgoing,
            )
            try:
                outgoing = generator.send(response)
            except StopIteration:
                return exchange

    def _send_one(self, request: httpx.Request, operation: str, is_write: bool) -> Exchange:
        if self.sent >= self.target.budget.max_requests:
            raise BudgetExhausted(
                f"the request budget of {self.target.budget.max_requests} for "
                f"{self.target.name} is used up; raise [budget] max_requests to probe further"
            )
        if len(self._failures) >= GIVE_UP_AFTER:
            last = self._failures[-1].removeprefix(f"{self.target.name}: ")
            raise TargetUnreachable(
                f"{self.target.name}: not tried, after {len(self._failures)} transport "
                f"failures in a row; the last: {last}"
            )
        slot = self._throttle(request.url.path, is_write, request)
        self.sent += 1
        started = time.perf_counter()

        def what() -> str:  # only a failure needs the (redacted) description
            return f"{self.target.name}: {request.method} {self.redactor.url(str(request.url))}"

        try:
            response = self._transport(request)
            try:
                content = self._read_capped(response, what, started)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise self._failed(
                f"{what()} timed out after {self.target.transport.timeout_seconds}s "
                f"({type(exc).__name__})"
            ) from exc
        except httpx.TransportError as exc:
            text = self.redactor.text(str(exc)) or type(exc).__name__
            if "CERTIFICATE_VERIFY_FAILED" in text:
                text += "; is ca_bundle in the target file the CA that issued its certificate?"
            raise self._failed(f"{what()} failed: {text}") from exc
        except _TooSlow as exc:
            raise self._failed(str(exc)) from None
        self._failures.clear()
        if slot is not None:
            slot[0].settle(slot[1])
        exchange = Exchange(
            method=request.method,
            url=str(request.url),
            request_headers=tuple(request.headers.multi_items()),
            request_body=request.content,
            status=response.status_code,
            headers=response.headers,
            content=content,
            elapsed=time.perf_counter() - started,
            operation=operation,
        )
        self.exchanges.append(exchange)
        for listener in self.listeners:
            listener(exchange)
        return exchange

    def _failed(self, message: str) -> TargetUnreachable:
        """A transport failure, counted towards giving up on the target."""
        self._failures.append(message)
        return TargetUnreachable(message)

    def _transport(self, request: httpx.Request) -> httpx.Response:
        """Send through the transport httpx picks for the URL (the injected one, the
        target's proxy or the environment's), streaming. Not ``Client.send``: the
        harness keeps no cookies between requests (each probe carries exactly what its
        check sends) and has no event hooks, so it skips their cost on every request."""
        transport = self._http._transport_for_url(request.url)  # httpx is pinned (0.28.1)
        response = transport.handle_request(request)
        response.request = request
        return response

    def _read_capped(
        self, response: httpx.Response, what: Callable[[], str], started: float
    ) -> bytes:
        """The body, at most max_body_bytes of it, within the request's total deadline."""
        limit = self.target.transport.max_body_bytes

        def exceeded() -> str:
            return (
                f"{what()}: the response body exceeded {limit} bytes; "
                "raise [transport] max_body_bytes if this is expected"
            )

        declared = response.headers.get("content-length", "")
        has_body = response.request.method != "HEAD" and response.status_code not in (204, 304)
        if has_body and declared.isdigit() and int(declared) > limit:
            raise TargetUnreachable(f"{exceeded()} (Content-Length: {declared})")
        timeout = self.target.transport.timeout_seconds
        deadline = started + DEADLINE_TIMEOUTS * timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise TargetUnreachable(exceeded())
            chunks.append(chunk)
            if time.perf_counter() > deadline:
                total = DEADLINE_TIMEOUTS * timeout
                raise _TooSlow(
                    f"{what()} timed out: the response took more than {total}s "
                    f"in total ({DEADLINE_TIMEOUTS} x [transport] timeout_seconds = {timeout}); "
                    f"{size} bytes of the body had arrived"
                )
        return b"".join(chunks)

    def _throttle(
        self, path: str, is_write: bool, request: httpx.Request
    ) -> tuple[Throttle, float] | None:
        """Wait for a slot under the documented limit; the throttle and the slot's time."""
        if not self._throttle_on:
            return None
        token_paths = {e.path for e in self._token_exchanges()}
        if any(path.endswith(p) for p in token_paths):
            kind = "token"
        else:
            kind = "write" if is_write else "read"
        default = self.profile.auth[0].credentials
        credential = self.target.credentials.get(default[0]) if default else None
        rule = self.profile.rate_limit.rule_for(kind, credential)
        if rule is None:
            return None
        key = f"{rule.applies_to}:{rule.key_prefix}"
        throttle = self._throttles.get(key)
        if throttle is None:  # setdefault: the dictionary may be shared between threads
            new = Throttle(rule, self.clock, self.target.budget.throttle)
            throttle = self._throttles.setdefault(key, new)
        return throttle, throttle.acquire()

    def share_throttles(self, throttles: dict[str, Throttle]) -> None:
        """Throttle through ``throttles``, shared with the clients of other targets that
        draw on the same rate-limit allowance (same account or key); call before sending."""
        self._throttles = throttles

    def _token_exchanges(self) -> list[Exchange_]:
        flow = self.profile.token
        if flow is None:
            return []
        return [e for e in (flow.grant, flow.refresh, flow.reset, flow.verify) if e is not None]
