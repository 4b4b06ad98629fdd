"""Alerts on a change of alert group: what they say, and how they are delivered.

An alert is built from the (already redacted) record only and passed once more through
the target's :class:`~harness.redaction.Redactor`, so no credential of the target, nor
its base64 encoding, can reach a webhook or a command. The webhook receives a JSON POST
whose ``text`` field is what Slack (and Mattermost, Rocket.Chat, ...) display, beside
structured fields; the command receives the same JSON on its standard input.

Delivery goes through the history's outbox (:meth:`HistoryStore.pending_alerts`): an
alert is written with its record, then sent, then marked sent; one that could not be
delivered is retried at the next cycle, up to a few attempts.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from harness import __version__
from harness.errors import HarnessError
from harness.monitor.status import SEVERE, VendorRecord
from harness.monitor.store import HistoryStore, PendingAlert, Transition
from harness.redaction import Redactor

__all__ = ["AlertChannels", "alert_payload", "deliver_pending"]

MAX_ITEMS = 20
ICONS = {"failing": ":red_circle:", "recovered": ":large_green_circle:"}


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def alert_payload(
    record: VendorRecord, transition: Transition, redactor: Redactor
) -> dict[str, Any]:
    """The JSON an alert carries: Slack-compatible ``text`` plus structured fields."""
    clauses = record.clauses_found()
    was = f" (was {transition.previous})" if transition.previous else ""
    if transition.kind == "failing":
        text = f"{record.target} is {record.status.upper()}{was}: {_detail(record)}"
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
        "requests": record.requests,
        "p50_ms": record.p50_ms,
        "p95_ms": record.p95_ms,
        "conformance": record.conformance,
        "harness_version": __version__,
    }
    cleaned: dict[str, Any] = redactor.data(payload)
    return cleaned


def _detail(record: VendorRecord) -> str:
    """Why a record is in the down group, in one line."""
    if record.status == "failing":
        severe = sorted({f.clause for f in record.findings if f.severity in SEVERE})
        return f"{len(record.findings)} finding(s), broken: " + ", ".join(severe)
    reasons = list(record.errors) + [c.reason for c in record.checks if c.unreachable]
    return reasons[0] if reasons else record.status


def _where(url: str) -> str:
    """A webhook URL without its path and query (Slack puts the secret in the path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


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
        if self.command is not None and not shlex.split(self.command):
            raise HarnessError("--alert-command is empty: give a command to run")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(
            name for name, value in (("webhook", self.webhook), ("command", self.command)) if value
        )

    def deliver(self, alert: PendingAlert) -> str | None:
        """Send one alert; None when delivered, else why not (free of secrets)."""
        body = json.dumps(alert.payload, sort_keys=True).encode()
        if alert.channel == "webhook" and self.webhook:
            return self._post(body)
        if alert.channel == "command" and self.command:
            return self._run(body)
        return f"channel {alert.channel!r} is not configured in this run"

    def _post(self, body: bytes) -> str | None:
        assert self.webhook is not None
        try:
            response = httpx.post(
                self.webhook,
                content=body,
                headers={"content-type": "application/json"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            return f"webhook {_where(self.webhook)}: {type(exc).__name__}"
        if response.status_code >= 300:
            return f"webhook {_where(self.webhook)} answered {response.status_code}"
        return None

    def _run(self, body: bytes) -> str | None:
        assert self.command is not None
        argv = shlex.split(self.command)
        try:
            done = subprocess.run(  # the operator's own command, no shell
                argv, input=body, capture_output=True, timeout=self.timeout * 3, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"alert command {argv[0]!r}: {type(exc).__name__}: {exc}"
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            return f"alert command {argv[0]!r} exited {done.returncode}: {tail}"
        return None


def deliver_pending(
    store: HistoryStore, channels: AlertChannels
) -> list[tuple[PendingAlert, str | None]]:
    """Send every pending alert of the outbox; returns each with its error (None: sent)."""
    outcome = []
    for alert in store.pending_alerts():
        error = channels.deliver(alert)
        store.mark_alert(alert.id, error)
        outcome.append((alert, error))
    return outcome
