"""Findings: a vendor breaking a documented clause, as data.

A finding is never an exception of the harness; checks return them and the runner
collects them. Evidence is stored already redacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EVIDENCE_BODY_LIMIT", "Evidence", "Finding"]

# Bodies in evidence are kept complete up to this many characters (reports state it).
EVIDENCE_BODY_LIMIT = 16 * 1024


@dataclass(frozen=True, slots=True)
class Evidence:
    """One HTTP exchange (or other observation) that shows the clause being broken."""

    method: str = ""
    url: str = ""
    status: int | None = None
    request_headers: tuple[tuple[str, str], ...] = ()
    response_headers: tuple[tuple[str, str], ...] = ()
    body_excerpt: str = ""  # the response body, complete up to EVIDENCE_BODY_LIMIT
    note: str = ""
    request_body: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(
            method=str(data.get("method", "")),
            url=str(data.get("url", "")),
            status=data.get("status"),
            request_headers=tuple(
                (str(k), str(v)) for k, v in data.get("request_headers", {}).items()
            ),
            response_headers=tuple(
                (str(k), str(v)) for k, v in data.get("response_headers", {}).items()
            ),
            body_excerpt=str(data.get("body_excerpt", "")),
            note=str(data.get("note", "")),
            request_body=str(data.get("request_body", "")),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "request_headers": dict(self.request_headers),
            "response_headers": dict(self.response_headers),
            "body_excerpt": self.body_excerpt,
            "note": self.note,
            "request_body": self.request_body,
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            vendor=str(data["vendor"]),
            clause=str(data["clause"]),
            check=str(data["check"]),
            title=str(data.get("title", "")),
            message=str(data.get("message", "")),
            severity=str(data.get("severity", "normal")),
            operation=str(data.get("operation", "")),
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", ())),
        )

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
