"""The compliance report in Markdown (for a ticket, a pull request, a wiki).

Vendor content is escaped (:mod:`harness.reporting.evidence`): inline text cannot
link or embed, and exchanges sit in column-0 fences no line of theirs can close.
Every verdict links to its evidence heading (``#evidence-<clause>``, an explicit
anchor, so the link does not depend on how a renderer derives heading ids).
"""

from __future__ import annotations

from harness.findings import EVIDENCE_BODY_LIMIT
from harness.reporting.compliance import EXCHANGES_PER_CLAUSE, ClauseRow, VendorCompliance
from harness.reporting.evidence import evidence_block, md_code, md_fence, md_text

__all__ = ["to_markdown"]


def _doc(row: ClauseRow) -> str:
    link = row.link
    text = md_text(link.label)
    shown = text if not link.found else f"[{text}](<{link.href}>)"
    return shown + (f" ({md_text(link.missing)})" if link.missing else "")


def _header(report: VendorCompliance) -> list[str]:
    m = report.meta
    t = m.target
    mode = t.mode + (" (built-in emulator: no vendor was tested)" if t.is_emulator else "")
    recorded = "" if m.digests_recorded else " (computed when this report was written)"
    har = (
        f"[{md_text(m.har)}](<{m.har}>) (HAR 1.2, every exchange recorded with this target, "
        "redacted)"
        if m.har
        else "not exported (run with --har)"
    )
    lines = []
    if report.banner:
        lines += [f"> **{md_text(report.banner)}**", ""]
    if m.partial_reasons:
        lines += ["> **Partial run: too little was checked for a full verdict.**", ">"]
        lines += [f"> - {md_text(r)}" for r in m.partial_reasons] + [""]
    lines += [
        f"# {md_text(report.name)}: API compliance report",
        "",
        f"- Target: {md_text(t.label)}, {md_code(t.base_url)}",
        f"- Mode: {md_text(mode)}",
        f"- Run: {md_text(m.run_started)} to {md_text(m.run_finished)}; harness "
        f"{md_text(m.harness_version)}",
        f"- Reference: {md_text(m.document)}; ambiguities read "
        + ("strictly" if t.strict else "leniently"),
        f"- Schemas sha256 {md_code(m.schemas_sha256)}{recorded}",
        f"- Clause catalog sha256 {md_code(m.catalog_sha256)}{recorded}",
        f"- Evidence: redacted; bodies complete up to {EVIDENCE_BODY_LIMIT:,} characters; "
        "lines a finding names are marked `>>`",
        f"- Exchanges: {har}",
        "",
    ]
    return lines


def _evidence(row: ClauseRow) -> list[str]:
    lines = [
        f'<a id="{row.evidence_anchor}"></a>',
        "",
        f"### {md_text(row.clause.id)}: {md_text(row.verdict)}",
        "",
        f"{md_text(row.clause.summary)} ({_doc(row)})",
        "",
    ]
    if row.note:
        lines += [md_text(row.note), ""]
    for case in row.cases:
        where = f" on {md_code(case.operation)}" if case.operation else ""
        why = f": {md_text(case.reason)}" if case.reason else ""
        lines.append(f"- {md_text(case.outcome)}{where}{why}")
    for check in row.checks:
        lines.append(f"- check {md_text(check.title)} ({md_code(check.id)}): {md_text(check.doc)}")
    lines.append("")
    shown = 0
    for finding in row.findings:
        where = f" on {md_code(finding.operation)}" if finding.operation else ""
        lines += [f"#### {md_text(finding.title)}{where}", "", md_text(finding.message), ""]
        for evidence in finding.evidence:
            block = evidence_block(evidence, finding)
            if block.note:
                lines += [f"Note: {md_text(block.note)}", ""]
            if not block.request:
                continue
            shown += 1
            if shown > EXCHANGES_PER_CLAUSE:
                lines += [f"Exchange not shown: {md_code(block.title)}", ""]
                continue
            marked = (
                f"; JSON pointers marked: {', '.join(block.pointers)}" if block.pointers else ""
            )
            lines += [
                f"{md_code(block.title)}; response body {md_text(block.body_note)}"
                f"{md_text(marked)}",
                "",
                md_fence(block.request),
                "",
                md_fence(block.response),
                "",
            ]
    lines += [f"[back to the table](#{row.anchor})", ""]
    return lines


def to_markdown(report: VendorCompliance) -> str:
    c = report.counts
    lines = _header(report)
    lines += [
        f"**Score: {md_text(report.score_text)}** of the clauses verified "
        f"({md_text(report.coverage)}): {c['conformant']} conformant, {c['ambiguous']} "
        f"ambiguous (conformant under the reading named), {c['non-conformant']} "
        f"non-conformant, {c['not checked']} not checked.",
        "",
        f"Formula: {md_text(report.formula)}",
        "",
        "| Clause | Severity | Verdict | Summary | Checks | Note |",
        "|---|---|---|---|---|---|",
    ]
    for row in report.rows:
        checks = ", ".join(md_text(c.title) for c in row.checks) or "-"
        lines.append(
            f'| <a id="{row.anchor}"></a>{md_text(row.clause.id)} | '
            f"{md_text(row.clause.severity)} | "
            f"[{md_text(row.verdict)}](#{row.evidence_anchor}) | "
            f"{md_text(row.clause.summary)} ({_doc(row)}) | {checks} | "
            f"{md_text(row.note or '-')} |"
        )
    lines += ["", "## Evidence per clause", ""]
    for row in report.rows:
        lines += _evidence(row)
    return "\n".join(lines) + "\n"
