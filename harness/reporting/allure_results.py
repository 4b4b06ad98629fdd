"""Allure results from the engine's events: one test case per (vendor, clause, operation).

A listener of :class:`harness.engine.Engine`: each :class:`~harness.engine.CaseFinished`
becomes an Allure 2 result file (``<uuid>-result.json``) with epic = vendor, feature =
concern, story = clause, the catalog's severity, a link to the document section, the
clause text, and one step per check with one sub-step per HTTP exchange carrying the
redacted request and response as an attachment. At the end of the run it writes
``environment.properties``, ``executor.json`` and ``categories.json``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from harness import __version__
from harness.engine.events import (
    CaseFinished,
    CaseVerdict,
    CheckFinished,
    Event,
    ExchangeRecorded,
    ExchangeView,
    RunFinished,
    RunStarted,
)
from harness.redaction import Redactor
from harness.targets import Target
from harness.validation import default_store

__all__ = ["CATEGORIES", "AllureWriter", "history_id"]

EXCHANGES_PER_CHECK = 25  # attachments per check step; the rest is counted in the step name
DOCS_BASE = "https://vendor-docs.invalid/"
STATUS = {"passed": "passed", "failed": "failed", "error": "broken", "skipped": "skipped"}

CATEGORIES = [
    {
        "name": "Vendor non-conformance",
        "description": "the vendor broke a documented clause (a finding)",
        "matchedStatuses": ["failed"],
        "messageRegex": "(?s).*",
    },
    {
        "name": "Target unavailable",
        "description": "the target could not be reached (network, TLS, timeout)",
        "matchedStatuses": ["broken"],
        "messageRegex": "(?s).*target unavailable.*",
    },
    {
        "name": "Harness error",
        "description": "the harness could not run the check (configuration or a harness bug)",
        "matchedStatuses": ["broken"],
        "messageRegex": "(?s).*",
    },
]


def history_id(*parts: str) -> str:
    return hashlib.md5("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def _millis(seconds: float) -> int:
    return int(seconds * 1000)


@dataclass
class _CheckTrace:
    """What one check did, for the steps of every case it decides."""

    name: str
    operation: str
    outcome: str = "passed"
    reason: str = ""
    start: float = 0.0
    stop: float = 0.0
    exchanges: list[ExchangeView] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


class AllureWriter:
    """Writes Allure results into ``folder`` while a run goes on."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._traces: dict[tuple[str, str, str], _CheckTrace] = {}
        self._pending: dict[tuple[str, str, str], list[ExchangeView]] = {}
        self._targets: list[Target] = []
        self._clock = 0.0

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self._targets = list(event.targets)
            self._clock = event.started
        elif isinstance(event, ExchangeRecorded):
            key = (event.target.name, event.check, event.operation)
            self._pending.setdefault(key, []).append(event.view)
        elif isinstance(event, CheckFinished):
            result = event.result
            key = (event.target.name, result.check, result.operation)
            start = self._clock
            self._clock += result.seconds
            self._traces[key] = _CheckTrace(
                name=result.check,
                operation=result.operation,
                outcome=result.outcome,
                reason=result.reason,
                start=start,
                stop=self._clock,
                exchanges=self._pending.pop(key, []),
                findings=[f.as_dict() for f in result.findings],
            )
        elif isinstance(event, CaseFinished):
            self._write_case(event.verdict)
        elif isinstance(event, RunFinished):
            self._write_metadata(self._targets)

    # -- one case -------------------------------------------------------------------
    def _attach(self, text: str, name: str, kind: str = "text/plain") -> dict[str, str]:
        extension = "json" if kind == "application/json" else "txt"
        source = f"{uuid.uuid4()}-attachment.{extension}"
        (self.folder / source).write_text(text, encoding="utf-8")
        return {"name": name, "source": source, "type": kind}

    def _step(self, trace: _CheckTrace) -> dict[str, Any]:
        shown = trace.exchanges[:EXCHANGES_PER_CHECK]
        more = len(trace.exchanges) - len(shown)
        steps = [
            {
                "name": view.title,
                "status": "passed",
                "stage": "finished",
                "start": _millis(trace.start),
                "stop": _millis(trace.stop),
                "attachments": [self._attach(view.text(), "request and response")],
                "steps": [],
                "parameters": [],
            }
            for view in shown
        ]
        attachments = []
        if trace.reason:
            attachments.append(self._attach(trace.reason, "reason"))
        for finding in trace.findings:
            attachments.append(
                self._attach(
                    json.dumps(finding, indent=2),
                    f"finding {finding['clause']}",
                    "application/json",
                )
            )
        name = f"check {trace.name}: {trace.outcome}"
        if more > 0:
            name += f" ({len(trace.exchanges)} exchanges, the first {len(shown)} attached)"
        return {
            "name": name,
            "status": STATUS.get(trace.outcome, "broken"),
            "stage": "finished",
            "start": _millis(trace.start),
            "stop": _millis(trace.stop),
            "steps": steps,
            "attachments": attachments,
            "parameters": [],
        }

    def _write_case(self, verdict: CaseVerdict) -> None:
        target, clause = verdict.target, verdict.clause
        keys = ((target.name, name, verdict.operation) for name in verdict.checks)
        traces = [self._traces[key] for key in keys if key in self._traces]
        start = min((t.start for t in traces), default=self._clock)
        stop = max((t.stop for t in traces), default=self._clock)
        op = verdict.operation
        title = clause.id + (f" [{op}]" if op else "")
        message = verdict.reason
        if verdict.findings:
            message = "\n".join(f"{f.check}: {f.title}: {f.message}" for f in verdict.findings)
        description = (
            f'{clause.summary}\n\nSource: {clause.document}, section "{clause.section}" '
            f"({clause.source}). Target: {target.name} ({target.mode})."
        )
        if clause.ambiguity:
            description += f"\n\nAmbiguity: {clause.ambiguity.description}"
        labels = [
            ("epic", target.profile.name),
            ("feature", clause.concern),
            ("story", f"{clause.id} {clause.summary}"),
            ("severity", clause.severity),
            ("vendor", target.vendor),
            ("clause", clause.id),
            ("suite", target.profile.name),
            ("subSuite", clause.concern),
            ("framework", "harness"),
            ("language", "python"),
        ]
        result = {
            "uuid": str(uuid.uuid4()),
            "historyId": history_id(target.name, clause.id, op),
            "testCaseId": history_id(target.vendor, clause.id, op),
            "fullName": f"harness.{target.vendor}.{clause.concern}.{title}",
            "name": title,
            "status": STATUS.get(verdict.outcome, "broken"),
            "statusDetails": {"message": message} if message else {},
            "stage": "finished",
            "description": description,
            "start": _millis(start),
            "stop": _millis(stop),
            "labels": [{"name": k, "value": v} for k, v in labels],
            "links": [
                {
                    "type": "link",
                    "name": f"{clause.document}: {clause.section}",
                    "url": f"{DOCS_BASE}{clause.document}#{quote(clause.section)}",
                }
            ],
            "parameters": [
                {"name": "vendor", "value": target.vendor},
                {"name": "clause", "value": clause.id},
                {"name": "operation", "value": op or "-"},
                {"name": "target", "value": target.name, "excluded": True},
            ],
            "steps": [self._step(t) for t in traces],
            "attachments": [],
        }
        path = self.folder / f"{result['uuid']}-result.json"
        path.write_text(json.dumps(result, indent=1), encoding="utf-8")

    # -- the run --------------------------------------------------------------------
    def _write_metadata(self, targets: Iterable[Target]) -> None:
        store = default_store()
        lines = [f"harness.version={__version__}", f"python={platform.python_version()}"]
        targets = list(targets)
        for t in targets:
            url = Redactor(t.secrets).url(t.base_url)
            lines.append(f"target.{t.vendor}={t.name} {t.mode} {url}")
        digests = store.digests
        for vendor in sorted({t.vendor for t in targets}):
            mine = sorted(v for k, v in digests.items() if k.startswith(vendor + "/"))
            joined = "".join(mine).encode()
            lines.append(f"schemas.{vendor}.sha256={hashlib.sha256(joined).hexdigest()[:16]}")
        (self.folder / "environment.properties").write_text("\n".join(lines) + "\n", "utf-8")
        executor = {"name": "harness", "type": "harness", "buildName": f"harness {__version__}"}
        (self.folder / "executor.json").write_text(json.dumps(executor), encoding="utf-8")
        (self.folder / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), "utf-8")
