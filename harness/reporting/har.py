"""Every exchange of a run as a HAR 1.2 file per target: evidence a browser opens.

A listener of the engine (``harness run --har``): each :class:`ExchangeRecorded` becomes
one ``log.entries[]`` item, built from the exchange's one redacted view (so a HAR file
holds no secret the other reports would not), and the file of a target is written when
the target finishes. Each entry names the check and operation that sent it
(``_check``, ``_operation``: HAR's custom fields start with an underscore). Bodies are
the view's (complete up to 64 KiB; a cut body says so in ``comment``).

``startedDateTime`` is the time the event reached the writer less the exchange's elapsed
time: exact in a serial run, late for the later targets of a parallel run (the engine holds
their events until the earlier targets finish). Exact times need the exchange to carry its
start time.

Open a HAR in Chromium or Firefox: developer tools, Network, "Import HAR file". The
Allure writer attaches each case's own exchanges in the same form (:func:`har_entry`).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from harness import __version__
from harness.engine.events import (
    Event,
    ExchangeRecorded,
    ExchangeView,
    RunFinished,
    TargetFailed,
    TargetFinished,
)
from harness.errors import HarnessError
from harness.targets import Target

__all__ = [
    "HarWriter",
    "har_entry",
    "har_file_name",
    "har_log",
    "har_log_header",
    "prepare_har_folder",
]

HAR_VERSION = "1.2"
HTTP_VERSION = "HTTP/1.1"  # the harness's client speaks HTTP/1.1 only
_CUT = re.compile(r"\.\.\. \[\d+ more characters\]\Z")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "target"


def har_file_name(target: Target) -> str:
    """``itrp-emulator.har`` for the target named ``itrp (emulator)``."""
    return _slug(target.name or target.vendor) + ".har"


_URI_SAFE = "/%:@!$&'()*+,;=-._~?"


def _uri(url: str) -> str:
    """The URL as a valid URI: a redacted ``[REDACTED]`` in a query becomes ``%5B...%5D``."""
    parts = urlsplit(url)
    return urlunsplit(
        parts._replace(
            path=quote(parts.path, safe=_URI_SAFE),
            query=quote(parts.query, safe=_URI_SAFE),
            fragment=quote(parts.fragment, safe=_URI_SAFE),
        )
    )


def _status_text(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _pairs(items: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in items]


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")


def har_entry(view: ExchangeView, check: str, operation: str, started: datetime) -> dict[str, Any]:
    """One ``log.entries[]`` item of a redacted exchange."""
    query = urlsplit(view.url).query
    millis = round(view.elapsed * 1000, 3)
    request: dict[str, Any] = {
        "method": view.method,
        "url": _uri(view.url),
        "httpVersion": HTTP_VERSION,
        "cookies": [],
        "headers": _pairs(view.request_headers),
        "queryString": [
            {"name": k, "value": v} for k, v in parse_qsl(query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": len(view.request_body.encode()) if view.request_body else 0,
    }
    if view.request_body:
        request["postData"] = {
            "mimeType": _header(view.request_headers, "content-type") or "application/json",
            "text": view.request_body,
        }
    body = view.response_body
    content: dict[str, Any] = {
        "size": len(body.encode()),
        "mimeType": _header(view.response_headers, "content-type") or "x-unknown",
        "text": body,
    }
    if _CUT.search(body):
        content["comment"] = "body cut by the harness at 64 KiB (the rest was not kept)"
    return {
        "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": millis,
        "request": request,
        "response": {
            "status": view.status,
            "statusText": _status_text(view.status),
            "httpVersion": HTTP_VERSION,
            "cookies": [],
            "headers": _pairs(view.response_headers),
            "content": content,
            "redirectURL": _header(view.response_headers, "location"),
            "headersSize": -1,
            "bodySize": content["size"],
        },
        "cache": {},
        "timings": {"send": 0, "wait": millis, "receive": 0},
        "comment": f"check {check}" + (f" on {operation}" if operation else ""),
        "_check": check,
        "_operation": operation,
    }


def har_log_header() -> dict[str, Any]:
    """``log.version`` and ``log.creator`` of a HAR file the harness writes."""
    return {"version": HAR_VERSION, "creator": {"name": "harness", "version": __version__}}


def har_log(target: Target, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole HAR document for one target."""
    mode = "the harness's built-in emulator (no vendor was tested)" if not target.is_live else ""
    return {
        "log": {
            **har_log_header(),
            "entries": entries,
            "comment": f"{target.name}: every exchange one harness run recorded, redacted"
            + (f"; {mode}" if mode else ""),
        }
    }


def prepare_har_folder(folder: Path) -> None:
    """Remove the HAR files of an earlier run from ``folder`` (other files stay)."""
    if folder.is_dir():
        for path in folder.glob("*.har"):
            path.unlink()


class HarWriter:
    """Writes ``<folder>/<target>.har`` for every target of a run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: dict[str, Path] = {}  # target name -> its HAR file
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._targets: dict[str, Target] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, ExchangeRecorded):
            name = event.target.name
            self._targets[name] = event.target
            started = datetime.now(UTC) - timedelta(seconds=event.view.elapsed)
            self._entries.setdefault(name, []).append(
                har_entry(event.view, event.check, event.operation, started)
            )
        elif isinstance(event, TargetFinished | TargetFailed):
            self._targets[event.target.name] = event.target
            self._write(event.target)
        elif isinstance(event, RunFinished):
            for target in list(self._targets.values()):
                if target.name not in self.written:
                    self._write(target)

    def path_for(self, target: Target) -> Path:
        return self.folder / har_file_name(target)

    def _write(self, target: Target) -> None:
        entries = self._entries.pop(target.name, [])
        text = json.dumps(har_log(target, entries), indent=1, ensure_ascii=False)
        path = self.path_for(target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise HarnessError(
                f"cannot write the HAR file {path}: {exc.strerror or exc}; "
                "choose another --results folder"
            ) from exc
        self.written[target.name] = path
