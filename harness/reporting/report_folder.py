"""The folder of one run's compliance reports, with an index of what the run produced.

:func:`write_compliance` empties the folder first (only if the harness wrote it: an
``index.html`` of ours, or nothing but earlier reports; anything else is refused), then
writes per target ``<stem>.html``, ``.md`` and ``.json``, a copy of each vendor document
the reports cite (``docs/``), each target's HAR file if the run wrote one (``har/``),
``index.html`` listing all of it, and with a signing key ``manifest.json`` and its
signature (:mod:`harness.reporting.signing`). Nothing of an earlier run stays behind.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import HarnessError
from harness.reporting.compliance import VendorCompliance, build_compliance, report_stem
from harness.reporting.compliance_html import to_html
from harness.reporting.compliance_markdown import to_markdown
from harness.reporting.documents import SHIPPED, docs_dir, ship_documents
from harness.reporting.results import RunRecord, TargetRecord, read_results
from harness.reporting.signing import MANIFEST, SIGNATURE, load_private_key, sign_folder

__all__ = ["ReportFolder", "prepare_folder", "write_compliance"]

GENERATOR = "harness compliance reports"
_EARLIER = re.compile(r"^[a-z0-9-]+\.(html|md|json)$")  # reports of a release without an index


@dataclass
class ReportFolder:
    folder: Path
    reports: list[VendorCompliance] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    missing_har: list[str] = field(default_factory=list)
    signed: bool = False

    @property
    def index(self) -> Path:
        return self.folder / "index.html"

    @property
    def files(self) -> list[Path]:
        return sorted(p for p in self.folder.rglob("*") if p.is_file())


def _ours(folder: Path) -> bool:
    index = folder / "index.html"
    if index.is_file():
        head = index.read_text(encoding="utf-8", errors="replace")[:2000]
        return f'content="{GENERATOR}"' in head
    entries = list(folder.iterdir())
    return all(p.is_file() and _EARLIER.match(p.name) for p in entries)


def prepare_folder(folder: Path) -> None:
    """Create ``folder``, or empty it if it holds an earlier report; refuse anything else."""
    if folder.exists() and not folder.is_dir():
        raise HarnessError(f"{folder} is not a folder; choose another --compliance-out")
    if folder.is_dir() and any(folder.iterdir()):
        if not _ours(folder):
            raise HarnessError(
                f"refusing to empty {folder}: it holds files that are not compliance reports "
                "of harness; empty it or choose another --compliance-out"
            )
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _copy_har(target: TargetRecord, folder: Path, stem: str) -> str:
    """Copy the target's HAR file into ``folder/har``; its relative path ("" if none)."""
    if not target.har or not Path(target.har).is_file():
        return ""
    copy = folder / "har" / f"{stem}.har"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target.har, copy)
    return copy.relative_to(folder).as_posix()


def _context(record: RunRecord, reports: list[VendorCompliance]) -> dict[str, Any]:
    return {
        "harness_version": record.harness_version,
        "run": {"started": record.started, "finished": record.finished},
        "targets": [
            {
                "vendor": r.vendor,
                "name": r.meta.target.name,
                "mode": r.meta.target.mode,
                "report": f"{r.stem}.html",
                "schemas_sha256": r.meta.schemas_sha256,
                "catalog_sha256": r.meta.catalog_sha256,
            }
            for r in reports
        ],
    }


def write_compliance(
    results_file: Path,
    out: Path,
    vendors: tuple[str, ...] = (),
    *,
    sign: Path | None = None,
) -> ReportFolder:
    """Write the compliance reports of a run into ``out`` (emptied first); sign with ``sign``."""
    record = read_results(results_file)
    targets = [t for t in record.targets if not vendors or t.vendor in vendors]
    if not targets:
        wanted = ", ".join(vendors) if vendors else "any vendor"
        raise HarnessError(f"{results_file}: the run has no target of {wanted}; nothing to report")
    if sign is not None and sign.resolve().is_relative_to(out.resolve()):
        raise HarnessError(
            f"the signing key {sign} is inside the report folder {out}; keep it elsewhere"
        )
    key = load_private_key(sign) if sign is not None else None  # a bad key fails first
    prepare_folder(out)
    done = ReportFolder(out)
    documents: set[str] = set()
    for target in targets:
        report = build_compliance(
            record, target, har=_copy_har(target, out, report_stem(record, target))
        )
        if target.har and not report.meta.har:
            done.missing_har.append(f"{target.name}: {target.har}")
        documents |= {row.link.document for row in report.rows if row.link.found}
        done.missing_documents += [row.link.document for row in report.rows if not row.link.found]
        for suffix, text in (
            ("json", json.dumps(report.as_dict(), indent=2)),
            ("md", to_markdown(report)),
            ("html", to_html(report)),
        ):
            (out / f"{report.stem}.{suffix}").write_text(text, encoding="utf-8")
        done.reports.append(report)
    _, missing = ship_documents(out, documents)
    done.missing_documents = sorted(set(done.missing_documents) | set(missing))
    done.signed = sign is not None
    done.index.write_text(_index(record, done), encoding="utf-8")
    if key is not None:
        sign_folder(out, key, _context(record, done.reports))
    return done


def _index(record: RunRecord, done: ReportFolder) -> str:
    esc = html.escape
    emulated = [r for r in done.reports if r.banner]
    banner = (
        f'<div class="banner" role="alert">No vendor was tested in {len(emulated)} of '
        f"{len(done.reports)} report(s): their targets are the harness's built-in emulators "
        f"({esc(', '.join(r.meta.target.name for r in emulated))}).</div>"
        if emulated
        else ""
    )
    rows = []
    for r in done.reports:
        c = r.counts
        files = " ".join(
            f'<a href="{esc(r.stem)}.{s}">{s.upper()}</a>' for s in ("html", "md", "json")
        )
        har = f'<a href="{esc(r.meta.har)}">HAR</a>' if r.meta.har else "-"
        mode = r.meta.target.mode + (" (no vendor tested)" if r.banner else "")
        rows.append(
            f"<tr><td>{esc(r.meta.target.name)}</td><td>{esc(mode)}</td>"
            f"<td>{esc(r.score_text)} ({esc(r.coverage)})</td>"
            f"<td>{c['non-conformant']}</td><td>{c['not checked']}</td>"
            f"<td>{files}</td><td>{har}</td></tr>"
        )
    docs = (
        sorted(p.name for p in (done.folder / SHIPPED).glob("*"))
        if (done.folder / SHIPPED).is_dir()
        else []
    )
    shipped = ", ".join(f'<a href="{SHIPPED}/{esc(n)}">{esc(n)}</a>' for n in docs) or "none"
    notes = []
    if done.missing_documents:
        notes.append(
            f"Not found in {esc(str(docs_dir()))}, so not shipped: "
            f"{esc(', '.join(done.missing_documents))} (set HARNESS_DOCS_DIR)."
        )
    if done.missing_har:
        notes.append(f"HAR files named by the run but gone: {esc('; '.join(done.missing_har))}.")
    signed = (
        f'Signed: <a href="{MANIFEST}">{MANIFEST}</a> lists the sha256 of every file here and '
        f"<code>{SIGNATURE}</code> is its Ed25519 signature; check with "
        "<code>harness verify-report DIR --key PUBLIC-KEY</code>."
        if done.signed
        else "Not signed (<code>harness report --compliance --sign KEY</code> signs)."
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="{GENERATOR}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Compliance reports of the run {esc(record.started)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}
table{{border-collapse:collapse}}
th,td{{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}}
.banner{{border:3px solid #a40e26;background:#ffebe9;color:#82071e;padding:.75rem 1rem}}</style>
</head><body>
{banner}
<h1>Compliance reports</h1>
<p>Run {esc(record.started)} to {esc(record.finished)}, harness {esc(record.harness_version)},
exit code {record.exit_code}. This folder holds this run's reports only.</p>
<table><thead><tr><th>Target</th><th>Mode</th><th>Score</th><th>Non-conformant</th>
<th>Not checked</th><th>Report</th><th>Exchanges</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
<p>Vendor documents shipped with the reports: {shipped}.</p>
{"".join(f"<p>{n}</p>" for n in notes)}
<p>{signed}</p>
</body></html>
"""
