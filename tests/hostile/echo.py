"""A server that echoes every request into its error bodies, as careless APIs do.

:class:`EchoErrors` is a pure-ASGI middleware around a real emulator: successes pass
through untouched, and every error answer (status 400 or more) is replaced by a JSON body
that repeats the request: its headers (``Authorization`` included, and the user and
password a Basic header carries), its raw query string (URL-encoded as sent), its body,
the Python ``repr`` of the headers, and an HTML-escaped copy, JSON-encoded the way PHP
does it (``\\/`` for ``/``, ``\\u00e4`` for non-ASCII). So every probe the harness sends,
mutated tokens included, comes back in the evidence the reports quote.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import threading
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["EchoErrors", "echo_body"]


def _basic(headers: dict[str, str]) -> dict[str, str]:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return {}
    try:
        decoded = base64.b64decode(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return {}
    user, _, password = decoded.partition(":")
    return {"basic_user": user, "basic_password": password}


def echo_body(scope: Scope, body: bytes, status: int) -> bytes:
    """The request, repeated in every form a careless server might use."""
    pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
    headers = dict(pairs)
    data: dict[str, Any] = {
        "error": f"request refused ({status})",
        "method": scope["method"],
        "path": scope["path"],
        "query": scope["query_string"].decode("latin-1"),
        "headers": headers,
        "body": body.decode("utf-8", errors="replace"),
        "repr": repr(scope["headers"]),
        "html": html.escape(repr(pairs)),
        **_basic(headers),
    }
    return json.dumps(data).replace("/", "\\/").encode("ascii")


class EchoErrors:
    """Replace error bodies with an echo of the request while ``enabled`` is set."""

    def __init__(self, app: ASGIApp, enabled: threading.Event | None = None) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.enabled is not None and not self.enabled.is_set()):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        start: Message | None = None

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] >= 400:
                start = message  # held back: the echo replaces the body
                return
            if start is None:
                await send(message)
                return
            if message.get("more_body", False):
                return
            echoed = echo_body(scope, body, start["status"])
            headers = [
                (k, v)
                for k, v in start.get("headers", [])
                if k.lower() not in (b"content-length", b"content-type")
            ]
            headers += [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(echoed)).encode()),
            ]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": echoed})

        await self.app(scope, replay, capture)
