"""What an Allure case shows: its description and the texts of its exchange attachments."""

from __future__ import annotations

import html

from harness.engine.events import CaseVerdict, ExchangeView
from harness.findings import Evidence
from harness.reporting.checknames import check_name
from harness.reporting.documents import document_link

__all__ = ["EMULATOR_NOTE", "case_description", "evidence_text", "view_text"]

EMULATOR_NOTE = "built-in emulator: no vendor was tested"


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
