"""Compliance reports for partners: one row per clause, with verdict and evidence.

Built from a run's typed record (:class:`~harness.reporting.results.RunRecord`) and the
clause catalog, per target, as JSON, Markdown and a self-contained, printable HTML page
(no scripts, nothing loaded from outside). Verdicts:

- ``conformant``: every check of the clause passed;
- ``non-conformant``: a check found the vendor breaking it (evidence attached, redacted);
- ``not checked``: no check can verify it, or none ran here, with the reason;
- ``ambiguous``: the document contradicts itself; the checks passed under the reading
  named (lenient mode accepts every reading).

The score is the share of *verified* clauses that conform, stated with its formula and
next to the coverage (how many clauses were verified at all): a report never claims
more than was checked. A target whose mode is ``emulator`` gets a banner saying that no
vendor was tested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harness.catalog import Clause, load_catalog
from harness.findings import EVIDENCE_BODY_LIMIT, Finding
from harness.profiles import load_profile
from harness.reporting.checknames import CheckName, check_name
from harness.reporting.digests import vendor_digests
from harness.reporting.documents import DocumentLink, document_link
from harness.reporting.results import CaseRecord, CheckRecord, RunRecord, TargetRecord

__all__ = [
    "EMULATOR_BANNER",
    "EXCHANGES_PER_CLAUSE",
    "VERDICTS",
    "ClauseRow",
    "ReportMeta",
    "VendorCompliance",
    "build_compliance",
    "report_stem",
]

VERDICTS = ("conformant", "non-conformant", "ambiguous", "not checked")
EXCHANGES_PER_CLAUSE = 20  # evidence exchanges shown in full per clause; the rest counted
EMULATOR_BANNER = (
    "No vendor was tested. This report is of the harness's built-in emulator of {name}, "
    "not of {name}'s API: its verdicts show what the harness checks, not how the vendor behaves."
)


@dataclass
class ClauseRow:
    clause: Clause
    verdict: str
    note: str
    checks: tuple[CheckName, ...]
    operations: tuple[str, ...]
    link: DocumentLink
    cases: tuple[CaseRecord, ...] = ()
    results: tuple[CheckRecord, ...] = ()
    findings: tuple[Finding, ...] = field(default=())

    @property
    def anchor(self) -> str:
        return "clause-" + self.clause.id

    @property
    def evidence_anchor(self) -> str:
        return "evidence-" + self.clause.id

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause.id,
            "summary": self.clause.summary,
            "section": self.clause.section,
            "document": self.link.document,
            "document_link": self.link.href,
            "severity": self.clause.severity,
            "source": self.clause.source,
            "verdict": self.verdict,
            "note": self.note,
            "checks": [{"id": c.id, "name": c.title, "verifies": c.doc} for c in self.checks],
            "operations": list(self.operations),
            "requests": self.requests,
            "evidence": [f.as_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class ReportMeta:
    target: TargetRecord
    harness_version: str
    run_started: str
    run_finished: str
    document: str
    schemas_sha256: str
    catalog_sha256: str
    digests_recorded: bool  # False: results.json predates recorded digests (computed now)
    har: str = ""  # the HAR file's path in the report folder ("" when the run wrote none)
    partial_reasons: tuple[str, ...] = ()  # the run checked too little for a full verdict

    def as_dict(self) -> dict[str, Any]:
        return {
            "generated_by": f"harness {self.harness_version}",
            "run_started": self.run_started,
            "run_finished": self.run_finished,
            "target": self.target.name,
            "base_url": self.target.base_url,
            "mode": self.target.mode,
            "vendor_tested": not self.target.is_emulator,
            "strict": self.target.strict,
            "document": self.document,
            "schemas_sha256": self.schemas_sha256,
            "catalog_sha256": self.catalog_sha256,
            "digests_recorded_by_run": self.digests_recorded,
            "evidence_body_limit": EVIDENCE_BODY_LIMIT,
            "har": self.har,
            "partial": bool(self.partial_reasons),
            "partial_reasons": list(self.partial_reasons),
        }


@dataclass
class VendorCompliance:
    vendor: str
    name: str
    stem: str  # file names: <stem>.html, .md, .json
    meta: ReportMeta
    rows: list[ClauseRow]

    @property
    def counts(self) -> dict[str, int]:
        return {v: sum(1 for r in self.rows if r.verdict == v) for v in VERDICTS}

    @property
    def verified(self) -> int:
        return len(self.rows) - self.counts["not checked"]

    @property
    def score(self) -> float | None:
        """Share of verified clauses that conform (ambiguous counts as conformant)."""
        c = self.counts
        return None if self.verified == 0 else (c["conformant"] + c["ambiguous"]) / self.verified

    @property
    def score_text(self) -> str:
        return "n/a (no clause verified)" if self.score is None else f"{self.score:.1%}"

    @property
    def formula(self) -> str:
        """The score's formula with this report's numbers in it."""
        c = self.counts
        conforming = c["conformant"] + c["ambiguous"]
        result = "n/a" if self.score is None else f"{self.score:.1%}"
        return (
            "score = (conformant + ambiguous) / (conformant + ambiguous + non-conformant) = "
            f"({c['conformant']} + {c['ambiguous']}) / ({c['conformant']} + {c['ambiguous']} + "
            f"{c['non-conformant']}) = {conforming} / {self.verified} = {result}; the "
            f"{c['not checked']} clause(s) not checked are outside the score"
        )

    @property
    def coverage(self) -> str:
        return f"{self.verified} of {len(self.rows)} clauses verified"

    @property
    def banner(self) -> str:
        """The emulator banner ("" for a live target)."""
        return EMULATOR_BANNER.format(name=self.name) if self.meta.target.is_emulator else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "name": self.name,
            "banner": self.banner,
            "metadata": self.meta.as_dict(),
            "summary": {
                "score": self.score,
                "formula": self.formula,
                "coverage": self.coverage,
                **self.counts,
            },
            "clauses": [r.as_dict() for r in self.rows],
        }


def _verdict(clause: Clause, cases: list[CaseRecord], strict: bool) -> tuple[str, str]:
    if not cases:
        if clause.unchecked:
            return "not checked", clause.unchecked
        if clause.checks:
            return "not checked", "its checks were not part of this run's selection"
        return "not checked", "no check verifies it yet"
    outcomes = {c.outcome for c in cases}
    if "failed" in outcomes:
        failed = sum(1 for c in cases if c.outcome == "failed")
        return "non-conformant", f"{failed} of {len(cases)} checked operation(s) failed"
    if "error" in outcomes:
        reasons = sorted({c.reason for c in cases if c.outcome == "error"})
        return "not checked", "the harness could not run its checks: " + "; ".join(reasons)
    if outcomes == {"skipped"}:
        return "not checked", "; ".join(sorted({c.reason for c in cases}))
    if clause.ambiguity:
        amb = clause.ambiguity
        if strict:
            return "ambiguous", f"conformant under the strict reading '{amb.strict}'"
        readings = ", ".join(f"'{r}'" for r in amb.readings)
        return "ambiguous", f"conformant under the lenient reading (accepts {readings})"
    return "conformant", ""


def report_stem(record: RunRecord, target: TargetRecord) -> str:
    """``itrp``, or ``itrp-<target name>`` when the run had several targets of a vendor."""
    if sum(1 for t in record.targets if t.vendor == target.vendor) <= 1:
        return target.vendor
    slug = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-") or "target"
    return f"{target.vendor}-{slug}"


def build_compliance(record: RunRecord, target: TargetRecord, har: str = "") -> VendorCompliance:
    """The compliance of one target of a run (``har``: its HAR file in the report folder)."""
    vendor = target.vendor
    profile = load_profile(vendor)
    mine = [c for c in record.cases if c.vendor == vendor and c.target in ("", target.name)]
    results = [r for r in record.results if r.vendor == vendor]
    rows = []
    for clause in load_catalog((vendor,)):
        cases = [c for c in mine if c.clause == clause.id]
        verdict, note = _verdict(clause, cases, target.strict)
        names = sorted({n for c in cases for n in c.checks} or set(clause.checks))
        ran = [r for r in results if clause.id in r.clauses]
        rows.append(
            ClauseRow(
                clause=clause,
                verdict=verdict,
                note=note,
                checks=tuple(dict.fromkeys(check_name(n) for n in names)),
                operations=tuple(sorted({c.operation for c in cases if c.operation})),
                link=document_link(clause),
                cases=tuple(cases),
                results=tuple(ran),
                findings=tuple(f for c in cases for f in c.findings),
            )
        )
    recorded = bool(target.schemas_sha256 and target.catalog_sha256)
    if recorded:
        schemas, catalog = target.schemas_sha256, target.catalog_sha256
    else:
        now = vendor_digests(vendor)
        schemas, catalog = now.schemas_sha256, now.catalog_sha256
    meta = ReportMeta(
        target=target,
        harness_version=record.harness_version,
        run_started=record.started,
        run_finished=record.finished,
        document=profile.document,
        schemas_sha256=schemas,
        catalog_sha256=catalog,
        digests_recorded=recorded,
        har=har,
        partial_reasons=tuple(record.partial_reasons) if record.partial else (),
    )
    return VendorCompliance(vendor, profile.name, report_stem(record, target), meta, rows)
