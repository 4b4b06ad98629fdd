"""The compliance report as one self-contained, printable HTML page.

Inline CSS, no script, a Content-Security-Policy that forbids loading anything; links
go only to anchors of the page and to files shipped beside it (the vendor's document,
the HAR file). Every verdict links to its evidence section.
"""

from __future__ import annotations

import html

from harness.findings import EVIDENCE_BODY_LIMIT
from harness.reporting.compliance import EXCHANGES_PER_CLAUSE, ClauseRow, VendorCompliance
from harness.reporting.evidence import evidence_block, html_lines

__all__ = ["to_html"]

esc = html.escape

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24;
max-width:80rem}
h1{font-size:1.5rem;margin-bottom:.25rem} h2{margin-top:2rem} h3{font-size:1.05rem}
.banner{border:3px solid #a40e26;background:#ffebe9;color:#82071e;padding:.75rem 1rem;
font-size:1.05rem;margin:0 0 1rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;font-size:.9rem;
color:#444} dl.meta dt{font-weight:600} dl.meta dd{margin:0;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin-top:1rem}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa} .v-conformant{color:#116329} .v-non-conformant{color:#a40e26;font-weight:600}
.v-ambiguous{color:#7d4e00} .v-not-checked{color:#57606a}
.score{font-size:1.2rem;margin:1rem 0 .25rem}
.formula{font-family:ui-monospace,monospace;font-size:.85rem;color:#333}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:.5rem;font-size:.8rem}
mark{background:#fff3b0;outline:1px solid #d4a72c} section.evidence{border-top:1px solid #d0d7de}
small{color:#57606a}
@media print{body{margin:0} tr,pre{page-break-inside:avoid} a{color:inherit}}
"""


def _doc_cell(row: ClauseRow) -> str:
    link = row.link
    if link.missing and not link.found:
        return f"<small>{esc(link.label)} ({esc(link.missing)})</small>"
    anchor = f'<a href="{esc(link.href)}">{esc(link.label)}</a>'
    return f"<small>{anchor}{f' ({esc(link.missing)})' if link.missing else ''}</small>"


def _row(row: ClauseRow) -> str:
    css = "v-" + row.verdict.replace(" ", "-")
    checks = "<br>".join(
        f"{esc(c.title)} <small><code>{esc(c.id)}</code></small>" for c in row.checks
    )
    return (
        f'<tr id="{esc(row.anchor)}">'
        f"<td>{esc(row.clause.id)}</td><td>{esc(row.clause.severity)}</td>"
        f'<td class="{css}"><a href="#{esc(row.evidence_anchor)}">{esc(row.verdict)}</a></td>'
        f"<td>{esc(row.clause.summary)}<br>{_doc_cell(row)}</td>"
        f"<td>{checks or '-'}</td><td>{esc(row.note or '-')}</td>"
        "</tr>"
    )


def _what_ran(row: ClauseRow) -> str:
    if not row.cases:
        return f"<p>Nothing was checked: {esc(row.note)}</p>"
    items = []
    for case in row.cases:
        where = f" on <code>{esc(case.operation)}</code>" if case.operation else ""
        why = f": {esc(case.reason)}" if case.reason else ""
        items.append(f"<li>{esc(case.outcome)}{where}{why}</li>")
    checks = "".join(
        f"<li>{esc(c.title)} (<code>{esc(c.id)}</code>){': ' + esc(c.doc) if c.doc else ''}</li>"
        for c in row.checks
    )
    sent = (
        f"with {row.requests} request(s) of their own"
        if row.requests
        else "on responses other checks of this run fetched (no request of their own)"
    )
    return (
        f"<p>Checked {sent} by:</p><ul>{checks}</ul><p>Per operation:</p><ul>{''.join(items)}</ul>"
    )


def _findings(row: ClauseRow) -> str:
    parts: list[str] = []
    shown = 0
    for finding in row.findings:
        where = f" on <code>{esc(finding.operation)}</code>" if finding.operation else ""
        parts.append(
            f"<h4>{esc(finding.title)}{where}</h4><p>{esc(finding.message)}<br>"
            f"<small>found by check <code>{esc(finding.check)}</code></small></p>"
        )
        for evidence in finding.evidence:
            block = evidence_block(evidence, finding)
            if block.note:
                parts.append(f"<p><small>Note: {esc(block.note)}</small></p>")
            if not block.request:
                continue
            if shown >= EXCHANGES_PER_CLAUSE:
                parts.append(f"<p><small>Exchange not shown: {esc(block.title)}</small></p>")
                continue
            shown += 1
            marked = (
                f"; JSON pointers marked: {', '.join(block.pointers)}" if block.pointers else ""
            )
            parts.append(
                f'<p class="exchange"><strong>{esc(block.title)}</strong><br>'
                f"<small>Response body {esc(block.body_note)}{esc(marked)}</small></p>"
                f'<pre class="request">{html_lines(block.request)}</pre>'
                f'<pre class="response">{html_lines(block.response)}</pre>'
            )
    return "".join(parts)


def _evidence(row: ClauseRow) -> str:
    return (
        f'<section class="evidence" id="{esc(row.evidence_anchor)}">'
        f"<h3>{esc(row.clause.id)}: {esc(row.verdict)}</h3>"
        f"<p>{esc(row.clause.summary)}<br>{_doc_cell(row)}</p>"
        f"{f'<p>{esc(row.note)}</p>' if row.note else ''}"
        f"{_what_ran(row)}{_findings(row)}"
        f'<p><small><a href="#{esc(row.anchor)}">back to the clause table</a></small></p>'
        "</section>"
    )


def _meta(report: VendorCompliance) -> str:
    m = report.meta
    t = m.target
    mode = t.mode
    if t.is_emulator:
        mode += " (the harness's built-in emulator: no vendor was tested)"
    digests_note = (
        ""
        if m.digests_recorded
        else " (computed when this report was written: the run did not record them)"
    )
    har = (
        f'<a href="{esc(m.har)}">{esc(m.har)}</a> (HAR 1.2: every exchange recorded in the '
        "run with this target, redacted; opens in a browser's developer tools)"
        if m.har
        else "not exported (run with <code>--har</code> to get every exchange as a HAR file)"
    )
    items = [
        ("Target", esc(t.label)),
        ("Base URL", f"<code>{esc(t.base_url)}</code>"),
        ("Mode", esc(mode)),
        ("Run", f"{esc(m.run_started)} to {esc(m.run_finished)}"),
        ("Generated by", f"harness {esc(m.harness_version)}"),
        ("Reference document", esc(m.document)),
        (
            "Ambiguities",
            "read strictly (the reading named)" if t.strict else "read leniently (every reading)",
        ),
        ("Schemas sha256", f"<code>{esc(m.schemas_sha256)}</code>{esc(digests_note)}"),
        ("Clause catalog sha256", f"<code>{esc(m.catalog_sha256)}</code>{esc(digests_note)}"),
        (
            "Evidence",
            f"redacted; bodies complete up to {EVIDENCE_BODY_LIMIT:,} characters; the JSON "
            "pointers and headers a finding names are marked",
        ),
        ("Exchanges", har),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


def to_html(report: VendorCompliance) -> str:
    """A self-contained page: inline CSS, no script, nothing loaded from elsewhere."""
    c = report.counts
    banner = f'<div class="banner" role="alert">{esc(report.banner)}</div>' if report.banner else ""
    if report.meta.partial_reasons:
        reasons = "".join(f"<li>{esc(r)}</li>" for r in report.meta.partial_reasons)
        banner += (
            '<div class="banner" role="alert">Partial run: too little was checked for a '
            f"full verdict.<ul>{reasons}</ul></div>"
        )
    title = f"{report.name} API compliance report" + (" (emulator)" if report.banner else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{esc(title)}</title><style>{_CSS}</style></head>
<body>
{banner}
<h1>{esc(report.name)}: API compliance report</h1>
{_meta(report)}
<p class="score"><strong>Score {esc(report.score_text)}</strong> of the clauses verified
({esc(report.coverage)}): {c["conformant"]} conformant, {c["ambiguous"]} ambiguous (conformant
under the reading named), {c["non-conformant"]} non-conformant, {c["not checked"]} not checked.</p>
<p class="formula">{esc(report.formula)}</p>
<table><thead><tr><th>Clause</th><th>Severity</th><th>Verdict (evidence)</th>
<th>Summary and source</th><th>Checks</th><th>Note</th></tr></thead><tbody>
{"".join(_row(r) for r in report.rows)}
</tbody></table>
<h2>Evidence per clause</h2>
{"".join(_evidence(r) for r in report.rows)}
</body></html>
"""
