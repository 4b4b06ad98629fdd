"""Small hostile HTTPS servers on loopback, each misbehaving in one way.

A :class:`HostileServer` accepts connections in a thread (one more thread per
connection), does the TLS handshake with a certificate from a trustme CA, reads one
HTTP/1.1 request and hands the socket to a *behaviour*: a function that answers (or
does not) and returns; the server then closes the connection. Every behaviour gives
up when the server stops, so no thread outlives its test.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w
import trustme

from harness.emulators import vendor_module

__all__ = [
    "BEHAVIOURS",
    "HostileServer",
    "Request",
    "Tls",
    "drip",
    "free_port",
    "hostile_server",
    "hostile_target",
    "make_tls",
]

HUGE_BODY = 50 * 1024 * 1024
CHUNK = b" " * 65536


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]


Behaviour = Callable[[socket.socket, Request, threading.Event], None]


@dataclass(frozen=True)
class Tls:
    """A CA (its PEM written to ``ca``) and a server context with a loopback cert it issued."""

    ca: Path
    context: ssl.SSLContext


def make_tls(folder: Path, name: str = "hostile") -> Tls:
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name=f"{name} test CA")
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    pem = folder / f"{name}-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return Tls(pem, context)


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _head(status: str, content_type: str | None, length: int | None, *extra: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Connection: close"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines.extend(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _answer(body: bytes, content_type: str = "application/json") -> Behaviour:
    def behaviour(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        conn.sendall(_head("200 OK", content_type, len(body)) + body)

    return behaviour


def _silent(conn: socket.socket, request: Request, stop: threading.Event) -> None:
    stop.wait()


def _huge(conn: socket.socket, request: Request, stop: threading.Event) -> None:
    # No Content-Length: the body ends when the connection does, so only a cap on what
    # is read (not a look at the headers) keeps the client's memory bounded.
    conn.sendall(_head("200 OK", "application/json", None) + b'{"data": "')
    sent = 0
    while sent < HUGE_BODY and not stop.is_set():
        conn.sendall(CHUNK)  # raises once the client hangs up
        sent += len(CHUNK)


def drip(interval: float) -> Behaviour:
    """Headers at once, then the body one byte every ``interval`` seconds."""

    def behaviour(conn: socket.socket, request: Request, stop: threading.Event) -> None:
        body = b'{"data": []}' + b" " * 200
        conn.sendall(_head("200 OK", "application/json", len(body)))
        for byte in body:
            if stop.wait(interval):
                return
            conn.sendall(bytes([byte]))

    return behaviour


def _huge_declared(conn: socket.socket, request: Request, stop: threading.Event) -> None:
    conn.sendall(_head("200 OK", "application/json", HUGE_BODY) + b'{"data": "')
    sent = 0
    while sent < HUGE_BODY and not stop.is_set():
        conn.sendall(CHUNK)
        sent += len(CHUNK)


def _redirect(conn: socket.socket, request: Request, stop: threading.Event) -> None:
    # Every URL redirects to itself: a loop for any client that follows redirects.
    conn.sendall(_head("302 Found", "text/plain", 0, f"Location: {request.path}"))


def _mid_body(conn: socket.socket, request: Request, stop: threading.Event) -> None:
    conn.sendall(_head("200 OK", "application/json", 4096) + b'{"data": [{"id": 1}, {"id"')


HTML = b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon</body></html>"

BEHAVIOURS: dict[str, Behaviour] = {
    "silent": _silent,
    "html": _answer(HTML),
    "invalid-json": _answer(b'{"data": [{"id": 1,}, '),
    "huge": _huge,
    "huge-declared": _huge_declared,
    "drip": drip(1.0),
    "redirect": _redirect,
    "invalid-utf8": _answer(
        b'{"data": [{"id": "\xff\xfe\xc3\x28"}]}', "application/json; charset=utf-8"
    ),
    "mid-body": _mid_body,
    "empty": _answer(b""),
}


@dataclass
class HostileServer:
    """Serves one behaviour over TLS on 127.0.0.1 until :meth:`stop`."""

    behaviour: Behaviour
    tls: Tls
    requests: list[Request] = field(default_factory=list)
    port: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _listener: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _conns: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> HostileServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._spawn(self._accept_loop)
        return self

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="hostile")
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            with self._lock:
                self._conns.append(conn)
            self._spawn(self._serve, conn)

    def _serve(self, raw: socket.socket) -> None:
        conn: socket.socket = raw
        try:
            conn = self.tls.context.wrap_socket(raw, server_side=True)
            with self._lock:
                self._conns.append(conn)
            request = _read_request(conn)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            self.behaviour(conn, request, self._stop)
        except (OSError, ssl.SSLError, ValueError):
            pass  # the client hung up, refused our certificate, or sent garbage
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            with contextlib.suppress(OSError):
                raw.close()

    def stop(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(5)


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 20:
            raise ValueError("request head too large")
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    remaining = int(headers.get("content-length", "0")) - len(body)
    while remaining > 0:
        chunk = conn.recv(min(remaining, 65536))
        if not chunk:
            break
        remaining -= len(chunk)
    return Request(method, path, headers)


@contextlib.contextmanager
def hostile_server(behaviour: Behaviour, tls: Tls) -> Iterator[HostileServer]:
    server = HostileServer(behaviour, tls).start()
    try:
        yield server
    finally:
        server.stop()


def hostile_target(
    folder: Path,
    name: str,
    port: int,
    ca: Path,
    *,
    vendor: str = "itrp",
    timeout: float = 2.0,
    max_body: int = 1024 * 1024,
) -> Path:
    """A live-mode target file for ``vendor`` pointing at a hostile server on ``port``."""
    data = {
        "vendor": vendor,
        "name": f"{vendor} (hostile: {name})",
        "base_url": f"https://127.0.0.1:{port}/v1",
        "mode": "live",
        "ca_bundle": str(ca),
        "credentials": vendor_module(vendor).credentials(),
        "transport": {"timeout_seconds": timeout, "max_body_bytes": max_body},
    }
    path = folder / f"hostile-{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path
