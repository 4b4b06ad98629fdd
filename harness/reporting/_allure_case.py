"""What an Allure case shows: its description and the texts of its exchange attachments."""

from __future__ import annotations

import html

from harness.engine.events import CaseVerdict, ExchangeView
from harness.findings import Evidence
from harness.reporting.checknames import check_name
from harness.reporting.documents import document_link

__all__ = [
    "DATA_ONLY",
    "EMULATOR_NOTE",
    "NO_EXCHANGE",
    "UNRECORDED",
    "case_description",
    "evidence_text",
    "no_exchange_reason",
    "view_text",
]

EMULATOR_NOTE = "built-in emulator: no vendor was tested"
NO_EXCHANGE = "no HTTP exchange: "
UNRECORDED = "unrecorded requests: "  # why a decided case can have none
DATA_ONLY = "data only: "


def evidence_text(evidence: Evidence) -> tuple[str, str]:
    """A finding's evidence as (request, response) attachment texts."""
    request = [f"{evidence.method} {evidence.url}"]
    request += [f"{k}: {v}" for k, v in evidence.request_headers]
    if evidence.request_body:
        request += ["", evidence.request_body]
    response = [f"HTTP {evidence.status}"] + [f"{k}: {v}" for k, v in evidence.response_headers]
    if evidence.body_excerpt:
        response += ["", evidence.body_excerpt]
    return "\n".join(request), "\n".join(response)


def view_text(view: ExchangeView) -> tuple[str, str]:
    """A recorded exchange as (request, response) attachment texts."""
    request = [f"{view.method} {view.url}", *(f"{k}: {v}" for k, v in view.request_headers)]
    if view.request_body:
        request += ["", view.request_body]
    response = [f"HTTP {view.status}", *(f"{k}: {v}" for k, v in view.response_headers)]
    if view.response_body:
        response += ["", view.response_body]
    return "\n".join(request), "\n".join(response)


def case_description(verdict: CaseVerdict) -> str:
    """The case page's description: the clause, its document section, the reading used."""
    esc = html.escape
    target, clause = verdict.target, verdict.clause
    link = document_link(clause)
    source = f'<a href="{esc(link.href)}" target="_blank">{esc(link.label)}</a>'
    if link.missing:
        source += f" ({esc(link.missing)})"
    parts = []
    if not target.is_live:
        parts.append(f"<p><strong>{esc(EMULATOR_NOTE.capitalize())}.</strong></p>")
    parts += [
        f"<p><strong>Clause {esc(clause.id)}</strong>: {esc(clause.summary)}</p>",
        f"<p>Document: {source}; from {esc(clause.source)}.</p>",
    ]
    if clause.ambiguity:
        amb = clause.ambiguity
        if target.strict:
            used = f"the strict reading '{esc(amb.strict)}': {esc(amb.readings[amb.strict])}"
        else:
            used = "every reading (lenient): " + "; ".join(
                f"'{esc(k)}': {esc(v)}" for k, v in amb.readings.items()
            )
        parts.append(f"<p>Ambiguity: {esc(amb.description)}<br>Reading used: {used}.</p>")
    checks = ", ".join(
        f"{esc(check_name(c).title)} (<code>{esc(c)}</code>)" for c in verdict.checks
    )
    label = target.name
    if f"({target.mode})" not in label:
        label += f" ({target.mode})"
    parts.append(f"<p>Target: {esc(label)}. Checks: {checks}.</p>")
    return "\n".join(parts)


def no_exchange_reason(verdict: CaseVerdict, unrecorded: int | None) -> str:
    """Why a case shows no exchange: skipped, not run (``unrecorded`` None), requests
    that no exchange records (``CheckResult.unrecorded`` of its checks), or checks that
    judge data only."""
    if verdict.outcome == "skipped":
        return f"the case was skipped: {verdict.reason}"
    if verdict.outcome == "error":
        return f"the harness could not run its checks: {verdict.reason}"
    if unrecorded is None:
        return "none of its checks ran"
    if unrecorded:
        return (
            f"{UNRECORDED}{unrecorded} request(s) its checks judged were sent outside the "
            "recorded client (a plain-HTTP probe, a TLS handshake, or rate-limit probes "
            "sent in bulk and not kept); a finding would carry its exchanges as evidence"
        )
    return (
        f"{DATA_ONLY}its checks judged the profile, the documents or the run's own "
        "records, without an HTTP exchange"
    )
