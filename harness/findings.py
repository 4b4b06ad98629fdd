"""Findings: a vendor breaking a documented clause, as data.

A finding is never an exception of the harness; checks return them and the runner
collects them. Evidence is stored already redacted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Evidence", "Finding"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One HTTP exchange (or other observation) that shows the clause being broken."""

    method: str = ""
    url: str = ""
    status: int | None = None
    request_headers: tuple[tuple[str, str], ...] = ()
    response_headers: tuple[tuple[str, str], ...] = ()
    body_excerpt: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "request_headers": dict(self.request_headers),
            "response_headers": dict(self.response_headers),
            "body_excerpt": self.body_excerpt,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """The vendor does not do what clause ``clause`` says its document promises."""

    vendor: str
    clause: str
    check: str
    title: str
    message: str
    severity: str = "normal"
    operation: str = ""
    evidence: tuple[Evidence, ...] = field(default=())

    def one_line(self) -> str:
        return f"{self.clause}: {self.title}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "clause": self.clause,
            "check": self.check,
            "title": self.title,
            "message": self.message,
            "severity": self.severity,
            "operation": self.operation,
            "evidence": [e.as_dict() for e in self.evidence],
        }
