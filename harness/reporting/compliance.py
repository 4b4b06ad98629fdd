"""Compliance reports for partners: one row per clause, with verdict and evidence.

Built from a run's ``results.json`` and the clause catalog, per vendor, as JSON,
Markdown and a self-contained, printable HTML page (no scripts, nothing loaded from
outside). Verdicts:

- ``conformant``: every check of the clause passed;
- ``non-conformant``: a check found the vendor breaking it (evidence attached, redacted);
- ``not checked``: no check can verify it, or none ran here, with the reason;
- ``ambiguous``: the document contradicts itself; the checks passed under the reading
  named (lenient mode accepts every reading).
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import __version__
from harness.catalog import Clause, load_catalog
from harness.profiles import load_profile
from harness.redaction import Redactor
from harness.schema_readings import READINGS_FILE, generated_names

__all__ = ["ClauseRow", "VendorCompliance", "build_compliance", "write_compliance"]

VERDICTS = ("conformant", "non-conformant", "ambiguous", "not checked")


@dataclass
class ClauseRow:
    clause: Clause
    verdict: str
    note: str
    checks: tuple[str, ...]
    operations: tuple[str, ...]
    findings: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause.id,
            "summary": self.clause.summary,
            "section": self.clause.section,
            "document": self.clause.document,
            "severity": self.clause.severity,
            "source": self.clause.source,
            "verdict": self.verdict,
            "note": self.note,
            "checks": list(self.checks),
            "operations": list(self.operations),
            "evidence": self.findings,
        }


@dataclass
class VendorCompliance:
    vendor: str
    name: str
    metadata: dict[str, Any]
    rows: list[ClauseRow]

    @property
    def counts(self) -> dict[str, int]:
        return {v: sum(1 for r in self.rows if r.verdict == v) for v in VERDICTS}

    @property
    def score(self) -> float | None:
        """Share of verified clauses that are conformant (ambiguous counts as conformant)."""
        c = self.counts
        verified = c["conformant"] + c["ambiguous"] + c["non-conformant"]
        return None if verified == 0 else (c["conformant"] + c["ambiguous"]) / verified

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "name": self.name,
            "metadata": self.metadata,
            "summary": {"score": self.score, **self.counts},
            "clauses": [r.as_dict() for r in self.rows],
        }


def _verdict(clause: Clause, cases: list[dict[str, Any]], strict: bool) -> tuple[str, str]:
    if not cases:
        if clause.unchecked:
            return "not checked", clause.unchecked
        if clause.checks:
            return "not checked", "its checks were not part of this run's selection"
        return "not checked", "no check verifies it yet"
    outcomes = {c["outcome"] for c in cases}
    if "failed" in outcomes:
        failed = sum(1 for c in cases if c["outcome"] == "failed")
        return "non-conformant", f"{failed} of {len(cases)} checked operation(s) failed"
    if "error" in outcomes:
        reasons = sorted({c["reason"] for c in cases if c["outcome"] == "error"})
        return "not checked", "the harness could not run its checks: " + "; ".join(reasons)
    if outcomes == {"skipped"}:
        reasons = sorted({c["reason"] for c in cases})
        return "not checked", "; ".join(reasons)
    if clause.ambiguity:
        amb = clause.ambiguity
        if strict:
            return "ambiguous", f"conformant under the strict reading '{amb.strict}'"
        readings = ", ".join(f"'{r}'" for r in amb.readings)
        return "ambiguous", f"conformant under the lenient reading (accepts {readings})"
    return "conformant", ""


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()


def build_compliance(results: dict[str, Any], vendor: str) -> VendorCompliance:
    """The compliance of one vendor from a run's results (as written to results.json)."""
    profile = load_profile(vendor)
    catalog = load_catalog((vendor,))
    cases = [c for c in results.get("cases", []) if c["vendor"] == vendor]
    strict = bool(results.get("strict", {}).get(vendor, False))
    rows = []
    for clause in catalog:
        mine = [c for c in cases if c["clause"] == clause.id]
        verdict, note = _verdict(clause, mine, strict)
        findings = [f for c in mine for f in c.get("findings", [])]
        rows.append(
            ClauseRow(
                clause=clause,
                verdict=verdict,
                note=note,
                checks=tuple(sorted({n for c in mine for n in c["checks"]} or set(clause.checks))),
                operations=tuple(sorted({c["operation"] for c in mine if c["operation"]})),
                findings=findings,
            )
        )
    target: dict[str, Any] = next(
        (t for t in results.get("targets", []) if t["vendor"] == vendor), {}
    )
    schema_files = sorted(profile.folder.glob("*.schema.json"))
    # The documents of each reading are generated from readings.toml: digest it too.
    readings = [p for p in [profile.folder / READINGS_FILE] if p.is_file()]
    metadata = {
        "generated_by": f"harness {results.get('harness_version', __version__)}",
        "run_started": results.get("started", ""),
        "run_finished": results.get("finished", ""),
        "target": target.get("name", ""),
        "base_url": Redactor().url(target.get("base_url", "")),
        "mode": target.get("mode", ""),
        "strict": strict,
        "document": profile.document,
        "schemas_sha256": _digest([p.read_bytes() for p in schema_files + readings]),
        "catalog_sha256": catalog.digest(),
        "schema_count": len(schema_files) + len(generated_names(profile.folder)),
    }
    return VendorCompliance(vendor, profile.name, metadata, rows)


def _score_text(report: VendorCompliance) -> str:
    score = report.score
    return "n/a (no clause verified)" if score is None else f"{score:.0%}"


def to_markdown(report: VendorCompliance) -> str:
    m = report.metadata
    c = report.counts
    lines = [
        f"# {report.name}: API compliance report",
        "",
        f"- Target: {m['target']} ({m['mode']}), {m['base_url']}",
        f"- Run: {m['run_started']} to {m['run_finished']}; {m['generated_by']}",
        f"- Reference: {m['document']}; ambiguities read "
        + ("strictly" if m["strict"] else "leniently"),
        f"- Schemas sha256 {m['schemas_sha256'][:16]}..., "
        f"catalog sha256 {m['catalog_sha256'][:16]}...",
        "",
        f"**Score: {_score_text(report)}**: {c['conformant']} conformant, "
        f"{c['ambiguous']} ambiguous (conformant under the reading named), "
        f"{c['non-conformant']} non-conformant, "
        f"{c['not checked']} not checked.",
        "",
        "| Clause | Severity | Verdict | Summary | Checks | Note |",
        "|---|---|---|---|---|---|",
    ]
    for row in report.rows:
        cells = [
            row.clause.id,
            row.clause.severity,
            row.verdict,
            f"{row.clause.summary} ({row.clause.section})",
            ", ".join(row.checks) or "-",
            row.note or "-",
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    failing = [r for r in report.rows if r.findings]
    if failing:
        lines += ["", "## Evidence", ""]
        for row in failing:
            lines.append(f"### {row.clause.id}: {row.clause.summary}")
            for f in row.findings:
                lines.append(f"- **{f['title']}**: {f['message']}")
                for e in f.get("evidence", []):
                    if e.get("method"):
                        lines.append(f"  - `{e['method']} {e['url']}` answered {e['status']}")
                    if e.get("body_excerpt"):
                        lines.append(f"    ```\n    {e['body_excerpt'][:600]}\n    ```")
            lines.append("")
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24;
max-width:75rem}
h1{font-size:1.5rem;margin-bottom:.25rem} .meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin-top:1rem}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa} .v-conformant{color:#116329} .v-non-conformant{color:#a40e26;font-weight:600}
.v-ambiguous{color:#7d4e00} .v-not-checked{color:#57606a} .score{font-size:1.2rem;margin:1rem 0}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:.5rem;font-size:.8rem}
@media print{body{margin:0} tr{page-break-inside:avoid} a{color:inherit}}
"""


def to_html(report: VendorCompliance) -> str:
    """A self-contained page: inline CSS, no script, nothing loaded from elsewhere."""
    esc = html.escape
    m = report.metadata
    c = report.counts
    rows = []
    for row in report.rows:
        css = "v-" + row.verdict.replace(" ", "-")
        rows.append(
            "<tr>"
            f"<td>{esc(row.clause.id)}</td><td>{esc(row.clause.severity)}</td>"
            f'<td class="{css}">{esc(row.verdict)}</td>'
            f"<td>{esc(row.clause.summary)}<br><small>{esc(row.clause.document)}: "
            f"{esc(row.clause.section)}</small></td>"
            f"<td>{esc(', '.join(row.checks) or '-')}</td><td>{esc(row.note or '-')}</td>"
            "</tr>"
        )
    evidence = []
    for row in (r for r in report.rows if r.findings):
        evidence.append(f"<h3>{esc(row.clause.id)}: {esc(row.clause.summary)}</h3><ul>")
        for f in row.findings:
            evidence.append(f"<li><strong>{esc(f['title'])}</strong>: {esc(f['message'])}")
            for e in f.get("evidence", []):
                if e.get("method"):
                    evidence.append(
                        f"<br><code>{esc(e['method'])} {esc(e['url'])}</code> answered "
                        f"{esc(str(e['status']))}"
                    )
                if e.get("body_excerpt"):
                    evidence.append(f"<pre>{esc(e['body_excerpt'][:1500])}</pre>")
            evidence.append("</li>")
        evidence.append("</ul>")
    strictness = "strictly" if m["strict"] else "leniently (every reading accepted)"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{esc(report.name)} API compliance report</title><style>{_CSS}</style></head>
<body>
<h1>{esc(report.name)}: API compliance report</h1>
<p class="meta">Target {esc(m["target"])} ({esc(m["mode"])}), {esc(m["base_url"])}<br>
Run {esc(m["run_started"])} to {esc(m["run_finished"])}, {esc(m["generated_by"])}<br>
Reference document {esc(m["document"])}; documented ambiguities read {strictness}<br>
Schemas sha256 <code>{esc(m["schemas_sha256"])}</code><br>
Clause catalog sha256 <code>{esc(m["catalog_sha256"])}</code></p>
<p class="score"><strong>Score {esc(_score_text(report))}</strong>:
{c["conformant"]} conformant, {c["ambiguous"]} ambiguous (conformant under the reading named),
{c["non-conformant"]} non-conformant, {c["not checked"]} not checked.</p>
<table><thead><tr><th>Clause</th><th>Severity</th><th>Verdict</th><th>Summary and source</th>
<th>Checks</th><th>Note</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
{("<h2>Evidence</h2>" + "".join(evidence)) if evidence else ""}
</body></html>
"""


def write_compliance(results_file: Path, out: Path, vendors: tuple[str, ...] = ()) -> list[Path]:
    """Write ``<vendor>.html``, ``.md`` and ``.json`` for each vendor of the run."""
    try:
        results = json.loads(results_file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        from harness.errors import HarnessError

        raise HarnessError(
            f"{results_file}: no results to report on; run `harness run` first"
        ) from exc
    chosen = vendors or tuple(sorted({t["vendor"] for t in results.get("targets", [])}))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for vendor in chosen:
        report = build_compliance(results, vendor)
        for suffix, text in (
            ("json", json.dumps(report.as_dict(), indent=2)),
            ("md", to_markdown(report)),
            ("html", to_html(report)),
        ):
            path = out / f"{vendor}.{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
