"""Alerts: what they say, how several are grouped into one message, and how they are sent.

An alert is built from the (already redacted) record only and passed once more through
the target's :class:`~harness.redaction.Redactor`, so no credential of the target, nor
its base64 encoding, can reach a webhook or a command. The webhook receives a JSON POST
whose ``text`` field is what Slack (and Mattermost, Rocket.Chat, ...) display, beside
structured fields; the command receives the same JSON on its standard input.

**Grouping.** Alerts of one vendor, one kind and one channel that are due together go
out as one message (``count``, ``targets`` and each alert under ``alerts``); a single
alert keeps its own fields at the top level. Every message carries an
``idempotency_key`` (also sent as the ``Idempotency-Key`` header), stable for the
alerts it contains. Delivery goes through the outbox (:mod:`harness.monitor.outbox`).
"""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from harness import __version__
from harness.errors import HarnessError
from harness.monitor.outbox import PendingAlert
from harness.monitor.policy import Transition
from harness.monitor.status import SEVERE, VendorRecord
from harness.redaction import Redactor

__all__ = ["AlertChannels", "Delivery", "alert_payload", "group_message", "groups"]

MAX_ITEMS = 20
ICONS = {"failing": ":red_circle:", "recovered": ":large_green_circle:", "reminder": ":bell:"}


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def alert_payload(
    record: VendorRecord, transition: Transition, redactor: Redactor
) -> dict[str, Any]:
    """The JSON one alert carries: Slack-compatible ``text`` plus structured fields."""
    clauses = record.clauses_found()
    was = f" (was {transition.previous})" if transition.previous else ""
    if transition.kind == "failing":
        text = f"{record.target} is {record.status.upper()}{was}: {_detail(record)}"
    elif transition.kind == "reminder":
        since = transition.since or record.started
        text = (
            f"reminder: {record.target} is still {record.status.upper()} "
            f"(down for {_span(record.finished - since)}): {_detail(record)}"
        )
    else:
        text = f"{record.target} recovered: {record.status}{was}"
    payload: dict[str, Any] = {
        "text": f"{ICONS[transition.kind]} harness monitor: {text}",
        "event": transition.kind,
        "vendor": record.vendor,
        "target": record.target,
        "mode": record.mode,
        "status": record.status,
        "previous_status": transition.previous or None,
        "down_since": _iso(transition.since)
        if transition.kind == "reminder" and transition.since
        else None,
        "at": _iso(record.finished),
        "record_id": transition.record_id,
        "clauses": list(clauses),
        "findings": [
            {
                "clause": f.clause,
                "severity": f.severity,
                "check": f.check,
                "operation": f.operation,
                "title": f.title,
            }
            for f in record.findings[:MAX_ITEMS]
        ],
        "errors": list(record.errors[:5])
        + [f"{c.check}: {c.reason}" for c in record.checks if c.outcome == "error"][:5],
        "notes": list(record.notes),
        "attempts": record.attempts,
        "requests": record.requests,
        "p50_ms": record.p50_ms,
        "p95_ms": record.p95_ms,
        "window_p95_ms": record.window_p95_ms,
        "conformance": record.conformance,
        "harness_version": __version__,
    }
    cleaned: dict[str, Any] = redactor.data(payload)
    return cleaned


def _detail(record: VendorRecord) -> str:
    """Why a record is in the down group, in one line."""
    if record.status == "failing":
        severe = sorted({f.clause for f in record.findings if f.severity in SEVERE})
        parts = (
            [f"{len(record.findings)} finding(s), broken: " + ", ".join(severe)] if severe else []
        )
        return "; ".join(parts + list(record.notes)) or record.status
    reasons = list(record.errors) + [c.reason for c in record.checks if c.unreachable]
    return reasons[0] if reasons else record.status


def groups(alerts: Iterable[PendingAlert]) -> list[list[PendingAlert]]:
    """Alerts that go out as one message: same channel, vendor and kind, in order."""
    out: dict[tuple[str, str, str], list[PendingAlert]] = {}
    for alert in alerts:
        out.setdefault((alert.channel, alert.vendor, alert.kind), []).append(alert)
    return list(out.values())


def group_message(members: list[PendingAlert]) -> dict[str, Any]:
    """One message for alerts of one vendor and kind (see the module docstring)."""
    payloads = [m.payload for m in members]
    keys = sorted(
        str(p.get("idempotency_key", m.id)) for p, m in zip(payloads, members, strict=True)
    )
    key = keys[0] if len(keys) == 1 else hashlib.sha256("|".join(keys).encode()).hexdigest()[:32]
    targets = [str(p.get("target", "")) for p in payloads]
    if len(members) == 1:
        return {
            **payloads[0],
            "count": 1,
            "targets": targets,
            "alerts": payloads,
            "idempotency_key": key,
        }
    kind, vendor = members[0].kind, members[0].vendor
    shown = payloads[:MAX_ITEMS]
    more = f" and {len(payloads) - len(shown)} more" if len(payloads) > len(shown) else ""
    if kind == "recovered":
        what = ", ".join(str(p.get("target")) for p in shown)
        text = f"{len(payloads)} {vendor} targets recovered: {what}{more}"
    else:
        what = "; ".join(_line(p) for p in shown)
        still = "still down" if kind == "reminder" else "DOWN"
        text = f"{len(payloads)} {vendor} targets are {still}: {what}{more}"
    return {
        "text": f"{ICONS.get(kind, '')} harness monitor: {text}",
        "event": kind,
        "vendor": vendor,
        "count": len(payloads),
        "targets": targets,
        "alerts": payloads,
        "idempotency_key": key,
        "harness_version": __version__,
    }


def _line(payload: dict[str, Any]) -> str:
    text = str(payload.get("text", ""))
    return text.split("harness monitor: ", 1)[-1]


def _where(url: str) -> str:
    """A webhook URL without its path and query (Slack puts the secret in the path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


@dataclass(frozen=True)
class Delivery:
    """How sending went: ``error`` None when delivered; ``retry`` when it certainly did
    not arrive (so sending again cannot duplicate it)."""

    error: str | None = None
    retry: bool = True


@dataclass(frozen=True)
class AlertChannels:
    """Where alerts go: a webhook URL and/or a command (split like a shell would)."""

    webhook: str | None = None
    command: str | None = None
    timeout: float = 10.0

    def __post_init__(self) -> None:
        if self.webhook and urlsplit(self.webhook).scheme not in ("http", "https"):
            raise HarnessError(
                f"--alert-webhook {_where(self.webhook)}...: expected an http(s):// URL"
            )
        if self.command is not None:
            try:
                argv = shlex.split(self.command)
            except ValueError as exc:  # the value may hold a secret: not echoed
                raise HarnessError(
                    f"--alert-command: cannot split it into arguments ({exc}); "
                    "quote it as a shell would, e.g. --alert-command 'notify --room \"on call\"'"
                ) from None
            if not argv:
                raise HarnessError("--alert-command is empty: give a command to run")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(
            name for name, value in (("webhook", self.webhook), ("command", self.command)) if value
        )

    def deliver(self, channel: str, message: dict[str, Any]) -> Delivery:
        """Send one message on one channel."""
        body = json.dumps(message, sort_keys=True).encode()
        key = str(message.get("idempotency_key", ""))
        if channel == "webhook" and self.webhook:
            return self._post(body, key)
        if channel == "command" and self.command:
            return self._run(body)
        return Delivery(f"channel {channel!r} is not configured in this run")

    def _post(self, body: bytes, key: str) -> Delivery:
        assert self.webhook is not None
        where = _where(self.webhook)
        headers = {"content-type": "application/json", "idempotency-key": key}
        try:
            response = httpx.post(self.webhook, content=body, headers=headers, timeout=self.timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return Delivery(f"webhook {where}: {type(exc).__name__}")
        except httpx.HTTPError as exc:  # sent, no answer: it may have arrived
            return Delivery(f"webhook {where}: {type(exc).__name__} after sending", retry=False)
        if response.status_code >= 300:
            return Delivery(f"webhook {where} answered {response.status_code}")
        return Delivery()

    def _run(self, body: bytes) -> Delivery:
        assert self.command is not None
        argv = shlex.split(self.command)
        try:
            done = subprocess.run(  # the operator's own command, no shell
                argv, input=body, capture_output=True, timeout=self.timeout * 3, check=False
            )
        except OSError as exc:
            return Delivery(f"alert command {argv[0]!r}: {type(exc).__name__}: {exc.strerror}")
        except subprocess.TimeoutExpired:
            return Delivery(
                f"alert command {argv[0]!r} did not finish in {self.timeout * 3:g} s", retry=False
            )
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            return Delivery(f"alert command {argv[0]!r} exited {done.returncode}: {tail}")
        return Delivery()
