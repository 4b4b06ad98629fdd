"""Middleware faults: pure-ASGI layers that rewrite the responses a :class:`When` picks.

Each helper returns a :class:`FaultWrapper`, the ``wrap`` of a :class:`Fault`: called with
the clean app and the fault's on/off switch, it returns the app with the fault layered on.
Responses the fault does not pick pass through untouched, byte for byte (streamed, with
their own ``content-length``); a picked response is buffered, rewritten and re-measured.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.emulators._fault_when import Match, When, as_when

__all__ = [
    "FaultWrapper",
    "Headers",
    "ResponseRewriter",
    "Rewrite",
    "Wrapper",
    "drop_header",
    "json_field",
    "off_by",
    "replace_header",
    "rewrite_json",
    "rewriter",
    "set_header",
    "set_status",
]

Headers = list[tuple[bytes, bytes]]
Rewrite = Callable[[Scope, int, Headers, bytes], tuple[int, Headers, bytes]]
Wrapper = Callable[[ASGIApp, Callable[[], bool]], ASGIApp]
Picked = When | Match | None


class ResponseRewriter:
    """Pure-ASGI middleware: while ``active()``, each HTTP response that ``match`` picks
    (by request and status) is buffered and rewritten; the others stream through as sent."""

    def __init__(
        self,
        app: ASGIApp,
        active: Callable[[], bool],
        rewrite: Rewrite,
        match: Match | None = None,
    ) -> None:
        self.app = app
        self.active = active
        self.rewrite = rewrite
        self.match = match

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
        picked = False

        async def capture(message: Message) -> None:
            nonlocal picked
            if message["type"] == "http.response.start":
                picked = self.match is None or self.match(scope, message["status"])
                if not picked:
                    await send(message)
                    return
                start.update(message)
            elif message["type"] == "http.response.body" and picked:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send_rewritten(scope, start, b"".join(chunks), send)
            else:
                await send(message)

        await self.app(scope, receive, capture)

    async def _send_rewritten(
        self, scope: Scope, start: dict[str, Any], body: bytes, send: Send
    ) -> None:
        status, headers, new_body = self.rewrite(
            scope, start["status"], list(start.get("headers", [])), body
        )
        if new_body != body:  # a HEAD answer keeps the length of what GET would send
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(new_body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": new_body})


class FaultWrapper:
    """A fault's middleware recipe: ``wrapper(app, active)`` layers it on one app instance
    (binding ``when`` afresh, so counters are per instance); ``kinds`` say how subtle it is."""

    def __init__(self, rewrite: Rewrite, when: Picked = None, kinds: frozenset[str] = frozenset()):
        self.rewrite = rewrite
        self.when = None if when is None else as_when(when)
        self.kinds = kinds | (self.when.kinds if self.when else frozenset())

    def __call__(self, app: ASGIApp, active: Callable[[], bool]) -> ASGIApp:
        match = self.when.bind() if self.when else None
        return ResponseRewriter(app, active, self.rewrite, match)

    def __repr__(self) -> str:
        where = f" on {self.when.label}" if self.when else ""
        return f"FaultWrapper({getattr(self.rewrite, '__name__', 'rewrite')}{where})"


def rewriter(rewrite: Rewrite, when: Picked = None, kinds: frozenset[str] = frozenset()) -> Wrapper:
    """A fault wrapper from a rewrite function, on the responses ``when`` picks (all if None)."""
    return FaultWrapper(rewrite, when, kinds)


def _lowered(name: str) -> bytes:
    return name.lower().encode("latin-1")


def drop_header(name: str, when: Picked = None) -> Wrapper:
    """Remove a response header (on every response, or on those ``when`` picks)."""
    lowered = _lowered(name)

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        return status, [(k, v) for k, v in headers if k.lower() != lowered], body

    return rewriter(rewrite, when)


def set_header(
    name: str, value: Callable[[Scope, int, str | None], str | None], when: Picked = None
) -> Wrapper:
    """Replace a response header with ``value(scope, status, old)`` (None removes it)."""
    lowered = _lowered(name)

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        old = next((v.decode("latin-1") for k, v in headers if k.lower() == lowered), None)
        new = value(scope, status, old)
        headers = [(k, v) for k, v in headers if k.lower() != lowered]
        if new is not None:
            headers.append((lowered, new.encode("latin-1")))
        return status, headers, body

    return rewriter(rewrite, when)


def replace_header(name: str, change: Callable[[str], str], when: Picked = None) -> Wrapper:
    """A header that is present but wrong: where the response has it, its value becomes
    ``change(value)``; where it is absent it stays absent."""
    lowered = _lowered(name)

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        changed = [
            (k, change(v.decode("latin-1")).encode("latin-1") if k.lower() == lowered else v)
            for k, v in headers
        ]
        return status, changed, body

    return rewriter(rewrite, when, frozenset({"wrong-value"}))


def _json_body(change: Callable[[Any, Scope, int], Any]) -> Rewrite:
    """A rewrite of JSON bodies; a body ``change`` leaves equal (or not JSON) keeps its bytes."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        try:
            changed = change(json.loads(body), scope, status)
        except ValueError:
            return status, headers, body
        if changed == json.loads(body):  # parsed again: ``change`` may edit in place
            return status, headers, body
        return status, headers, json.dumps(changed).encode()

    return rewrite


def rewrite_json(change: Callable[[Any, Scope, int], Any], when: Picked = None) -> Wrapper:
    """Rewrite a JSON body with ``change(body, scope, status)`` (non-JSON bodies pass)."""
    return rewriter(_json_body(change), when)


def _change_key(data: Any, key: str, change: Callable[[Any], Any]) -> Any:
    if isinstance(data, list):
        return [_change_key(item, key, change) for item in data]
    if isinstance(data, dict):
        return {k: change(v) if k == key else _change_key(v, key, change) for k, v in data.items()}
    return data


def json_field(key: str, change: Callable[[Any], Any], when: Picked = None) -> Wrapper:
    """A field that is present but wrong: every ``key`` of every object in a JSON body (at
    any depth) gets ``change(value)``; bodies without it are left as they are."""
    kinds = frozenset({"wrong-value"})
    return rewriter(
        _json_body(lambda data, scope, status: _change_key(data, key, change)), when, kinds
    )


def set_status(change: Callable[[int, Scope], int], when: Picked = None) -> Wrapper:
    """Change the status code with ``change(status, scope)``."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        return change(status, scope), headers, body

    return rewriter(rewrite, when)


def off_by(delta: int) -> Callable[[Any], Any]:
    """A value ``delta`` away from the right one: for numbers and numeric strings (header
    values, counts, ids); anything else is returned as it was."""

    def change(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value + delta
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return str(int(value) + delta)
        return value

    return change
