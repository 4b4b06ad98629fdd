"""Faults: named, switchable breakages of exactly one clause each.

A fault is either a *switch* the vendor app consults (``ctx.fault("name")``) or a
small pure-ASGI middleware around the clean app that rewrites responses while the
fault is active. Faults can be turned on at start (``--fault``) or at run time
through ``POST /__emulator__/faults``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]
Rewrite = Callable[[Scope, int, Headers, bytes], tuple[int, Headers, bytes]]
Wrapper = Callable[[ASGIApp, Callable[[], bool]], ASGIApp]


@dataclass(frozen=True)
class Fault:
    """One named way to break one clause."""

    name: str
    clause: str
    description: str
    wrap: Wrapper | None = None  # None: a switch the vendor app consults


class FaultSwitch:
    """The set of active faults, safe to change while serving."""

    def __init__(self, catalog: Iterable[Fault], active: Iterable[str] = ()) -> None:
        self.catalog = {f.name: f for f in catalog}
        self._active: set[str] = set()
        self._lock = threading.Lock()
        self.set(enable=active)

    def __call__(self, name: str) -> bool:
        return name in self._active

    def is_active(self, name: str) -> Callable[[], bool]:
        return lambda: name in self._active

    @property
    def active(self) -> tuple[str, ...]:
        return tuple(sorted(self._active))

    def set(self, enable: Iterable[str] = (), disable: Iterable[str] = ()) -> None:
        enable, disable = list(enable), list(disable)
        for name in [*enable, *disable]:
            if name not in self.catalog:
                known = ", ".join(sorted(self.catalog)) or "none"
                raise ValueError(f"unknown fault {name!r}; this emulator's faults: {known}")
        with self._lock:
            self._active |= set(enable)
            self._active -= set(disable)


class ResponseRewriter:
    """Pure-ASGI middleware: buffers each HTTP response while ``active()`` and rewrites it."""

    def __init__(self, app: ASGIApp, active: Callable[[], bool], rewrite: Rewrite) -> None:
        self.app = app
        self.active = active
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.active()
            or scope["path"].startswith("/__emulator__")
        ):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    status, headers, body = self.rewrite(
                        scope, start["status"], list(start.get("headers", [])), b"".join(chunks)
                    )
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send(
                        {"type": "http.response.start", "status": status, "headers": headers}
                    )
                    await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await self.app(scope, receive, capture)


def rewriter(rewrite: Rewrite) -> Wrapper:
    """A fault wrapper from a rewrite function."""
    return lambda app, active: ResponseRewriter(app, active, rewrite)


def drop_header(name: str, when: Callable[[Scope, int], bool] | None = None) -> Wrapper:
    """Remove a response header (on every response, or where ``when(scope, status)``)."""
    lowered = name.lower().encode()

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if when is None or when(scope, status):
            headers = [(k, v) for k, v in headers if k.lower() != lowered]
        return status, headers, body

    return rewriter(rewrite)


def set_header(name: str, value: Callable[[Scope, int, str | None], str | None]) -> Wrapper:
    """Replace a response header with ``value(scope, status, old)`` (None removes it)."""
    lowered = name.lower().encode()

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        old = next((v.decode("latin-1") for k, v in headers if k.lower() == lowered), None)
        new = value(scope, status, old)
        headers = [(k, v) for k, v in headers if k.lower() != lowered]
        if new is not None:
            headers.append((lowered, new.encode("latin-1")))
        return status, headers, body

    return rewriter(rewrite)


def rewrite_json(
    change: Callable[[Any, Scope, int], Any], when: Callable[[Scope, int], bool] | None = None
) -> Wrapper:
    """Rewrite a JSON body with ``change(body, scope, status)`` (non-JSON bodies pass)."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if when is not None and not when(scope, status):
            return status, headers, body
        try:
            data = json.loads(body)
        except ValueError:
            return status, headers, body
        return status, headers, json.dumps(change(data, scope, status)).encode()

    return rewriter(rewrite)


def set_status(change: Callable[[int, Scope], int]) -> Wrapper:
    """Change the status code with ``change(status, scope)``."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        return change(status, scope), headers, body

    return rewriter(rewrite)
