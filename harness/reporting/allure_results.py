"""Allure results from the engine's events: one test case per (vendor, clause, operation).

A listener of :class:`harness.engine.Engine`: each :class:`~harness.engine.CaseFinished`
becomes an Allure 2 result file (``<uuid>-result.json``) with epic = vendor, feature =
concern, story = clause, the catalog's severity, a link to the clause's section in the
vendor document shipped with the report (``docs/``, see :mod:`.documents`), the clause
text, document section and ambiguity reading on the case, and one step per check with:

- one sub-step per HTTP exchange the check sent, with the redacted request and response
  attached, and one per exchange it judged through a memoized value an earlier check
  sent (``CheckResult.used``; the step names the check that sent it);
- one sub-step per finding, with the exchanges of its evidence attached;
- where a case has no exchange at all, a step ``no HTTP exchange: <why>``: skipped, not
  run, ``unrecorded requests`` (its checks' requests went outside the recorded client,
  counted in ``CheckResult.unrecorded``) or ``data only`` (no request behind it).

With ``har=True`` every case with exchanges also carries them as a HAR 1.2 attachment
(open it in a browser's developer tools). Every attachment file belongs to one case:
Allure 3 links a file named by several results to one of them only. At the end of the run it writes
``environment.properties`` (with the run's schema and catalog digests, the same values
``results.json`` and the compliance reports show), ``executor.json`` and
``categories.json``.
"""

from __future__ import annotations

import json
import platform
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import __version__
from harness.client import Exchange
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
from harness.findings import Finding
from harness.redaction import Redactor
from harness.reporting._allure_case import (
    DATA_ONLY,
    EMULATOR_NOTE,
    NO_EXCHANGE,
    UNRECORDED,
    case_description,
    evidence_text,
    no_exchange_reason,
    view_text,
)
from harness.reporting._allure_common import CATEGORIES, STATUS, history_id, millis
from harness.reporting.checknames import check_name
from harness.reporting.digests import vendor_digests
from harness.reporting.documents import document_link
from harness.reporting.har import har_entry, har_log_header
from harness.targets import Target

__all__ = ["CATEGORIES", "DATA_ONLY", "NO_EXCHANGE", "UNRECORDED", "AllureWriter", "history_id"]

EXCHANGES_PER_CHECK = 25  # attachments per check step; the rest is counted in the step name


@dataclass
class _CheckTrace:
    """What one check did, for the steps of every case it decides."""

    name: str
    operation: str
    outcome: str = "passed"
    reason: str = ""
    requests: int = 0
    unrecorded: int = 0
    start: float = 0.0
    stop: float = 0.0
    exchanges: list[ExchangeView] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class AllureWriter:
    """Writes Allure results into ``folder`` while a run goes on."""

    def __init__(self, folder: Path, *, har: bool = False) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.har = har
        self._traces: dict[tuple[str, str, str], _CheckTrace] = {}
        self._pending: dict[tuple[str, str, str], list[ExchangeView]] = {}
        self._at: dict[int, datetime] = {}  # id(view) -> when it started (for HAR)
        self._recorded: dict[int, ExchangeView] = {}  # id(exchange) -> its view (keeps it)
        self._sent_by: dict[int, str] = {}  # id(view) -> the check that sent the exchange
        self._targets: list[Target] = []
        self._shared_vendors: set[str] = set()
        self._clock = 0.0

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self._targets = list(event.targets)
            counts = Counter(t.vendor for t in self._targets)
            self._shared_vendors = {v for v, n in counts.items() if n > 1}
            self._clock = event.started
        elif isinstance(event, ExchangeRecorded):
            key = (event.target.name, event.check, event.operation)
            self._pending.setdefault(key, []).append(event.view)
            self._recorded[id(event.exchange)] = event.view
            self._sent_by[id(event.view)] = event.check
            if self.har:
                started = datetime.now(UTC) - timedelta(seconds=event.view.elapsed)
                self._at[id(event.view)] = started
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
                requests=result.requests,
                unrecorded=result.unrecorded,
                start=start,
                stop=self._clock,
                exchanges=self._pending.pop(key, []) + self._used_views(result.used),
                findings=list(result.findings),
            )
        elif isinstance(event, CaseFinished):
            self._write_case(event.verdict)
        elif isinstance(event, RunFinished):
            self._write_metadata(self._targets)

    def _used_views(self, used: Iterable[Exchange]) -> list[ExchangeView]:
        """The views of exchanges a check judged but an earlier check sent."""
        return [self._recorded[id(x)] for x in used if id(x) in self._recorded]

    # -- attachments -----------------------------------------------------------------
    def _attach(self, text: str, name: str, kind: str = "text/plain") -> dict[str, str]:
        extension = "json" if kind == "application/json" else "txt"
        source = f"{uuid.uuid4()}-attachment.{extension}"
        (self.folder / source).write_text(text, encoding="utf-8")
        return {"name": name, "source": source, "type": kind}

    def _exchange_step(self, name: str, texts: tuple[str, str], at: float) -> dict[str, Any]:
        request, response = texts
        return {
            "name": name,
            "status": "passed",
            "stage": "finished",
            "start": millis(at),
            "stop": millis(at),
            "attachments": [self._attach(request, "request"), self._attach(response, "response")],
            "steps": [],
            "parameters": [],
        }

    def _view_step(self, view: ExchangeView, at: float, check: str) -> dict[str, Any]:
        name = view.title
        sender = self._sent_by.get(id(view), check)
        if sender != check:
            name += f" (sent earlier by {check_name(sender).title})"
        return self._exchange_step(name, view_text(view), at)

    def _har_attachment(self, traces: list[_CheckTrace]) -> list[dict[str, str]]:
        """The case's exchanges as one HAR 1.2 file (with ``har=True``)."""
        if not self.har:
            return []
        entries = [
            har_entry(view, t.name, t.operation, self._at.get(id(view), datetime.now(UTC)))
            for t in traces
            for view in t.exchanges[:EXCHANGES_PER_CHECK]
        ]
        if not entries:
            return []
        text = json.dumps({"log": {**har_log_header(), "entries": entries}}, indent=1)
        return [self._attach(text, "exchanges of this case (HAR 1.2)", "application/json")]

    # -- steps -----------------------------------------------------------------------
    def _finding_step(self, finding: Finding, at: float) -> dict[str, Any]:
        steps = [
            self._exchange_step(f"evidence: {e.method} {e.url} -> {e.status}", evidence_text(e), at)
            for e in finding.evidence
            if e.method
        ]
        return {
            "name": f"finding {finding.clause}: {finding.title}",
            "status": "failed",
            "stage": "finished",
            "start": millis(at),
            "stop": millis(at),
            "steps": steps,
            "attachments": [
                self._attach(json.dumps(finding.as_dict(), indent=2), "finding", "application/json")
            ],
            "parameters": [],
        }

    def _check_step(self, trace: _CheckTrace, clause: str) -> dict[str, Any]:
        shown = trace.exchanges[:EXCHANGES_PER_CHECK]
        more = len(trace.exchanges) - len(shown)
        steps = [self._view_step(view, trace.start, trace.name) for view in shown]
        steps += [self._finding_step(f, trace.stop) for f in trace.findings if f.clause == clause]
        attachments = [self._attach(trace.reason, "reason")] if trace.reason else []
        name = f"check {check_name(trace.name).title}: {trace.outcome}"
        if more > 0:
            name += f" ({len(trace.exchanges)} exchanges, the first {len(shown)} attached)"
        return {
            "name": name,
            "status": STATUS.get(trace.outcome, "broken"),
            "stage": "finished",
            "start": millis(trace.start),
            "stop": millis(trace.stop),
            "steps": steps,
            "attachments": attachments,
            "parameters": [{"name": "check", "value": trace.name}],
        }

    # -- one case --------------------------------------------------------------------
    def _name(self, verdict: CaseVerdict) -> str:
        op = verdict.operation
        name = verdict.clause.id + (f" [{op}]" if op else "")
        if verdict.target.vendor in self._shared_vendors:
            name += f" @ {verdict.target.name}"
        return name

    def _write_case(self, verdict: CaseVerdict) -> None:
        target, clause = verdict.target, verdict.clause
        keys = ((target.name, name, verdict.operation) for name in verdict.checks)
        traces = [self._traces[key] for key in keys if key in self._traces]
        start = min((t.start for t in traces), default=self._clock)
        stop = max((t.stop for t in traces), default=self._clock)
        op = verdict.operation
        message = verdict.reason
        if verdict.findings:
            message = "\n".join(f"{f.check}: {f.title}: {f.message}" for f in verdict.findings)
        steps = [self._check_step(t, clause.id) for t in traces]
        exchanges = sum(len(t.exchanges[:EXCHANGES_PER_CHECK]) for t in traces)
        exchanges += sum(1 for f in verdict.findings for e in f.evidence if e.method)
        if exchanges == 0:
            ran = [t.unrecorded for t in traces]
            reason = no_exchange_reason(verdict, sum(ran) if ran else None)
            steps.append(
                {
                    "name": NO_EXCHANGE + reason,
                    "status": "skipped" if verdict.outcome == "skipped" else "passed",
                    "stage": "finished",
                    "start": millis(stop),
                    "stop": millis(stop),
                    "steps": [],
                    "attachments": [],
                    "parameters": [],
                }
            )
        link = document_link(clause)
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
        parameters = [
            {"name": "vendor", "value": target.vendor},
            {"name": "clause", "value": clause.id},
            {"name": "target", "value": target.name, "excluded": True},
        ]
        if op:
            parameters.insert(2, {"name": "operation", "value": op})
        attachments = self._har_attachment(traces)
        result = {
            "uuid": str(uuid.uuid4()),
            "historyId": history_id(target.name, clause.id, op),
            "testCaseId": history_id(target.vendor, clause.id, op),
            "fullName": f"harness.{target.vendor}.{clause.concern}.{self._name(verdict)}",
            "name": self._name(verdict),
            "status": STATUS.get(verdict.outcome, "broken"),
            "statusDetails": {"message": message} if message else {},
            "stage": "finished",
            "description": clause.summary,
            "descriptionHtml": case_description(verdict),
            "start": millis(start),
            "stop": millis(stop),
            "labels": [{"name": k, "value": v} for k, v in labels],
            "links": [{"type": "link", "name": link.label, "url": link.href}],
            "parameters": parameters,
            "steps": steps,
            "attachments": attachments,
        }
        path = self.folder / f"{result['uuid']}-result.json"
        path.write_text(json.dumps(result, indent=1), encoding="utf-8")

    # -- the run ---------------------------------------------------------------------
    def _write_metadata(self, targets: Iterable[Target]) -> None:
        lines = [f"harness.version={__version__}", f"python={platform.python_version()}"]
        targets = list(targets)
        for t in targets:
            url = Redactor(t.secrets).url(t.base_url)
            note = f" ({EMULATOR_NOTE})" if not t.is_live else ""
            lines.append(f"target.{t.vendor}={t.name} {t.mode} {url}{note}")
        for vendor in sorted({t.vendor for t in targets}):
            digests = vendor_digests(vendor)
            lines.append(f"schemas.{vendor}.sha256={digests.schemas_sha256}")
            lines.append(f"catalog.{vendor}.sha256={digests.catalog_sha256}")
        (self.folder / "environment.properties").write_text("\n".join(lines) + "\n", "utf-8")
        executor = {"name": "harness", "type": "harness", "buildName": f"harness {__version__}"}
        (self.folder / "executor.json").write_text(json.dumps(executor), encoding="utf-8")
        (self.folder / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), "utf-8")
