"""Allure integration: labels per case, one step per HTTP exchange, run metadata.

Every call is a no-op unless pytest runs with ``--alluredir`` (allure-pytest listens).
Epic = vendor, feature = concern, story = clause id and summary, severity from the
catalog, a link to the document section, and an ``operation`` parameter so that each
(vendor, clause, operation) is its own test case with its own history. Request and
response attachments are redacted and truncated.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import allure

from harness import __version__
from harness.catalog import Clause
from harness.client import Exchange
from harness.engine import CheckResult
from harness.profiles import Operation
from harness.redaction import Redactor
from harness.targets import Target
from harness.validation import default_store

__all__ = ["CATEGORIES", "attach_run", "label_case", "write_metadata"]

ATTACHMENT_LIMIT = 16 * 1024
DOCS_BASE = "https://vendor-docs.invalid/"

CATEGORIES = [
    {
        "name": "Vendor non-conformance",
        "description": "the vendor broke a documented clause (a finding)",
        "matchedStatuses": ["failed"],
        "messageRegex": "(?s).*",
    },
    {
        "name": "Target unavailable",
        "description": "the target could not be reached (network, TLS, timeout)",
        "matchedStatuses": ["broken"],
        "messageRegex": "(?s).*target unavailable.*",
    },
    {
        "name": "Harness error",
        "description": "the harness could not run the check (configuration or a harness bug)",
        "matchedStatuses": ["broken"],
        "messageRegex": "(?s).*",
    },
]


def label_case(target: Target, clause: Clause, operation: Operation | None, concern: str) -> None:
    allure.dynamic.epic(target.profile.name)
    allure.dynamic.feature(concern)
    allure.dynamic.story(f"{clause.id} {clause.summary}")
    allure.dynamic.severity(allure.severity_level(clause.severity))
    allure.dynamic.title(f"{clause.id}" + (f" [{operation.id}]" if operation else ""))
    allure.dynamic.description(
        f'{clause.summary}\n\nSource: {clause.document}, section "{clause.section}" '
        f"({clause.source}). Target: {target.name} ({target.mode})."
        + (f"\n\nAmbiguity: {clause.ambiguity.description}" if clause.ambiguity else "")
    )
    allure.dynamic.link(
        f"{DOCS_BASE}{clause.document}#{quote(clause.section)}",
        name=f"{clause.document}: {clause.section}",
    )
    allure.dynamic.label("vendor", target.vendor)
    allure.dynamic.label("clause", clause.id)
    # vendor + clause + operation make the test case (and its history) unique.
    allure.dynamic.parameter("vendor", target.vendor)
    allure.dynamic.parameter("clause", clause.id)
    allure.dynamic.parameter("operation", operation.id if operation else "-")
    allure.dynamic.parameter("target", target.name, excluded=True)
    allure.dynamic.parameter("harness_case", "", excluded=True, mode=allure.parameter_mode.HIDDEN)


def _text(exchange: Exchange, redactor: Redactor, request: bool) -> str:
    if request:
        headers = redactor.headers(exchange.request_headers)
        body = (
            redactor.body(exchange.request_body, ATTACHMENT_LIMIT) if exchange.request_body else ""
        )
        first = f"{exchange.method} {redactor.url(exchange.url)}"
    else:
        headers = redactor.headers(exchange.headers.multi_items())
        body = redactor.body(exchange.content, ATTACHMENT_LIMIT) if exchange.content else ""
        first = f"HTTP {exchange.status}"
    lines = [first, *(f"{k}: {v}" for k, v in headers), "", body]
    return "\n".join(lines)


def exchange_text(exchange: Exchange, redactor: Redactor) -> str:
    """The redacted request and response of one exchange, as one attachment."""
    return _text(exchange, redactor, True) + "\n\n" + _text(exchange, redactor, False)


def attach_run(result: CheckResult, redactor: Redactor, fresh: bool) -> None:
    """One step for the check, with one sub-step per exchange it sent."""
    suffix = "" if fresh else " (result shared with another clause)"
    with allure.step(f"check {result.check}: {result.outcome}{suffix}"):
        for exchange in result.exchanges:
            title = f"{exchange.method} {redactor.url(exchange.url)} -> {exchange.status}"
            with allure.step(title):
                allure.attach(
                    exchange_text(exchange, redactor),
                    "request and response",
                    allure.attachment_type.TEXT,
                )
        if result.reason:
            allure.attach(redactor.text(result.reason), "reason", allure.attachment_type.TEXT)
        for finding in result.findings:
            allure.attach(
                json.dumps(finding.as_dict(), indent=2),
                f"finding {finding.clause}",
                allure.attachment_type.JSON,
            )


def write_metadata(alluredir: Path, targets: Iterable[Target]) -> None:
    """environment.properties, executor.json and categories.json for the report."""
    alluredir.mkdir(parents=True, exist_ok=True)
    store = default_store()
    lines = [f"harness.version={__version__}", f"python={platform.python_version()}"]
    for t in targets:
        lines.append(f"target.{t.vendor}={t.name} {t.mode} {Redactor(t.secrets).url(t.base_url)}")
    digests = store.digests
    for vendor in sorted({t.vendor for t in targets}):
        mine = sorted(v for k, v in digests.items() if k.startswith(vendor + "/"))
        joined = "".join(mine).encode()
        import hashlib

        lines.append(f"schemas.{vendor}.sha256={hashlib.sha256(joined).hexdigest()[:16]}")
    (alluredir / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    executor = {"name": "harness", "type": "harness", "buildName": f"harness {__version__}"}
    (alluredir / "executor.json").write_text(json.dumps(executor), encoding="utf-8")
    (alluredir / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), encoding="utf-8")
