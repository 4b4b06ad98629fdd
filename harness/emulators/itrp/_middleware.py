"""Cross-cutting ITRP behaviour around the routes, as one pure-ASGI layer.

In order: the ``.json`` suffix, authentication (three schemes), the hourly rate
limit, content negotiation (406), the X-ITRP-Account and X-ITRP-Language headers,
then the route; afterwards ETag / 304, the X-RateLimit-* headers on every answer
and the JSON-P wrapping of ``?callback=``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import re
from email.utils import formatdate
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import content_type
from harness.emulators._ratelimit import WindowLimiter
from harness.emulators.itrp import _vocab as vocab
from harness.emulators.itrp._common import Caller, ItrpError, base_path, dumps
from harness.emulators.itrp._data import ACCOUNTS, HOME, TRUSTED, Person, Store
from harness.emulators.itrp._faults import (
    F_ACCOUNT_IGNORED_ON_SITES,
    F_ANONYMOUS_403,
    F_ETAG_IGNORED,
    F_JSONP_ERRORS_PLAIN,
    F_JSONP_LINK_RAW,
    F_JSONP_STATUS_TEXT,
    F_ONLY_ETAG_HEADER,
    F_QUERY_TOKEN_IGNORED,
    F_RETRY_AFTER_DATE,
)

log = logging.getLogger(__name__)

Answer = tuple[int, list[tuple[str, str]], bytes]

CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
LINK_PART = re.compile(r'<([^>]*)>\s*;\s*rel="?([^",;]+)"?')
JSON_TYPES = frozenset({"*/*", "application/*", "application/json"})
SCRIPT_TYPES = frozenset({"application/javascript", "text/javascript", "text/*"})
# Headers repeated (with their canonical names) in a JSON-P response's meta.
META_HEADERS = (
    "Link",
    "X-Pagination-Current-Page",
    "X-Pagination-Per-Page",
    "X-Pagination-Total-Pages",
    "X-Pagination-Total-Entries",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "Retry-After",
    "ETag",
    "Location",
)


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def acceptable(accept: str | None, jsonp: bool) -> bool:
    """Whether an Accept header admits JSON (or, for JSON-P, a script)."""
    if not accept or not accept.strip():
        return True
    for item in accept.split(","):
        media, _, params = item.strip().partition(";")
        q = re.search(r"q\s*=\s*([0-9.]+)", params)
        if q and float(q.group(1) or 0) == 0:
            continue
        kind = media.strip().lower()
        if kind in JSON_TYPES or (jsonp and kind in SCRIPT_TYPES):
            return True
    return False


def _tag_matches(sent: str, tag: str) -> bool:
    values = [v.strip().removeprefix("W/").strip('"') for v in sent.split(",")]
    return "*" in values or tag.strip('"') in values


class ItrpLayer:
    """The ITRP behaviours every endpoint shares, around the Starlette routes."""

    def __init__(self, app: ASGIApp, ctx: EmulatorContext, store: Store) -> None:
        self.app = app
        self.ctx = ctx
        self.store = store
        self.base = base_path(ctx)

    @property
    def limiter(self) -> WindowLimiter:
        rule = self.ctx.profile.rate_limit.rule_for("all")
        assert rule is not None, "the ITRP profile documents an hourly limit for all calls"
        return self.ctx.limiter_for(rule)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.endswith(".json"):
            path = path[: -len(".json")]
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        scope = {**scope, "path": path, "raw_path": path.encode(), "state": {}}
        request = Request(scope)
        status, headers, body = await self._answer(scope, receive, request)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        if status not in (204, 304):
            headers.append(("content-length", str(len(body))))
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _error(self, error: ItrpError, extra: dict[str, str] | None = None) -> Answer:
        headers = [("content-type", content_type(self.ctx)), *(extra or {}).items()]
        return error.status, headers, dumps(error.body())

    def _authenticate(self, request: Request) -> tuple[Person | None, str]:
        """The person the credentials name (or None) and the scheme they used."""
        store = self.store
        authorization = request.headers.get("authorization")
        if authorization:
            kind, _, value = authorization.partition(" ")
            if kind.lower() != "basic":
                return None, "none"
            try:
                user, _, password = base64.b64decode(value.strip()).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return None, "none"
            if user in store.tokens:
                return store.people[store.tokens[user]], "token-basic"
            known = store.passwords.get(user)
            if known is not None and known[0] == password:
                return store.people[known[1]], "password-basic"
            return None, "none"
        token = request.query_params.get("api_token")
        if token and token in store.tokens and not self.ctx.fault(F_QUERY_TOKEN_IGNORED):
            return store.people[store.tokens[token]], "token-query"
        return None, "none"

    async def _answer(self, scope: Scope, receive: Receive, request: Request) -> Answer:
        person, scheme = self._authenticate(request)
        client = scope.get("client")
        key = f"person:{person.id}" if person else f"ip:{client[0] if client else 'local'}"
        decision = self.limiter.hit(key)
        callback = request.query_params.get("callback")
        is_root = scope["path"] in (self.base, self.base + "/")
        if not decision.allowed:
            wait = decision.retry_after
            retry = (
                formatdate(self.ctx.clock.now() + wait, usegmt=True)
                if self.ctx.fault(F_RETRY_AFTER_DATE)
                else str(wait)
            )
            answer = self._error(ItrpError(429), {"Retry-After": retry})
        elif callback is not None and not CALLBACK.match(callback):
            bad = ItrpError(400, "Parameter 'callback' is not a valid function name")
            answer = self._error(bad)
            callback = None
        elif person is None and not is_root:
            if self.ctx.fault(F_ANONYMOUS_403) and "authorization" not in request.headers:
                answer = self._error(ItrpError(403))
            else:
                answer = self._error(ItrpError(401), {"WWW-Authenticate": 'Basic realm="ITRP"'})
        elif not acceptable(request.headers.get("accept"), callback is not None):
            answer = self._error(ItrpError(406))
        else:
            answer = await self._route(scope, receive, request, person, scheme)
        status, headers, body = answer
        if status == 200 and scope["method"] in ("GET", "HEAD") and callback is None:
            status, headers, body = self._conditional(request, headers, body)
        headers += [
            ("X-RateLimit-Limit", str(decision.limit)),
            ("X-RateLimit-Remaining", str(decision.remaining)),
        ]
        if callback is not None and not (status >= 400 and self.ctx.fault(F_JSONP_ERRORS_PLAIN)):
            return self._jsonp(callback, status, headers, body)
        return status, headers, body

    async def _route(
        self, scope: Scope, receive: Receive, request: Request, person: Person | None, scheme: str
    ) -> Answer:
        if person is not None:
            wanted = request.headers.get("x-itrp-account", "").strip().lower()
            if self.ctx.fault(F_ACCOUNT_IGNORED_ON_SITES) and self._lists_sites(scope):
                wanted = ""
            if wanted and wanted not in TRUSTED:
                return self._error(ItrpError(403))
            language = vocab.resolve_language(
                request.headers.get("x-itrp-language"), person.language
            )
            account = ACCOUNTS[wanted] if wanted else HOME
            scope["state"]["itrp"] = Caller(person, scheme, account, language)
        return await self._run(scope, receive)

    def _lists_sites(self, scope: Scope) -> bool:
        path: str = scope["path"]
        return scope["method"] == "GET" and path.rstrip("/") == self.base + "/sites"

    async def _run(self, scope: Scope, receive: Receive) -> Answer:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, capture)
        except Exception:  # the route's crash answer (if any) was captured first
            log.exception("ITRP emulator route failed: %s %s", scope["method"], scope["path"])
            if not start:
                return self._error(ItrpError(500))
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start["headers"]]
        return int(start["status"]), headers, b"".join(chunks)

    def _conditional(self, request: Request, headers: list[tuple[str, str]], body: bytes) -> Answer:
        """Tag a GET answer; answer 304 without a body when the client sent the tag."""
        tag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'
        headers = [*headers, ("ETag", tag)]
        sent = request.headers.get("if-none-match") or request.headers.get("etag")
        if self.ctx.fault(F_ONLY_ETAG_HEADER):
            sent = request.headers.get("etag")
        if sent and _tag_matches(sent, tag) and not self.ctx.fault(F_ETAG_IGNORED):
            return 304, headers, b""
        return 200, headers, body

    def _jsonp(
        self, callback: str, status: int, headers: list[tuple[str, str]], body: bytes
    ) -> Answer:
        """``callback({"meta": {status, headers...}, "data": body})``, served as 200."""
        meta: dict[str, Any] = {
            "status": str(status) if self.ctx.fault(F_JSONP_STATUS_TEXT) else status
        }
        for name in META_HEADERS:
            value = header(headers, name)
            if value is None:
                continue
            meta[name] = value
            if name == "Link" and not self.ctx.fault(F_JSONP_LINK_RAW):
                meta[name] = [[url, {"rel": rel}] for url, rel in LINK_PART.findall(value)]
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = body.decode("utf-8", "replace")
        wrapped = f"{callback}(".encode() + dumps({"meta": meta, "data": data}) + b")"
        kept = [(k, v) for k, v in headers if k.lower() != "content-type"]
        return 200, [("content-type", content_type(self.ctx)), *kept], wrapped
