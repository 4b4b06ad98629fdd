"""HAR 1.2 files per target: valid against the HAR schema, one entry per exchange, attached
in Allure and linked from the compliance reports. (No secret in them: the leak test in
``test_secrets_and_verdicts`` scans them with every other output.)"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from harness.client import Exchange
from harness.engine import ExchangeView
from harness.redaction import Redactor
from harness.reporting.har import har_entry
from tests.reporting._full_run import FullRun

SCHEMA = Path(__file__).parent / "data" / "har-1.2.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_every_target_has_a_har_file_valid_against_the_har_schema(
    full_run: FullRun, validator: jsonschema.Draft202012Validator
) -> None:
    files = sorted(full_run.har.glob("*.har"))
    assert len(files) == len(full_run.record.targets)
    for path in files:
        errors = list(validator.iter_errors(_load(path)))
        assert not errors, f"{path.name}: {[e.message for e in errors[:3]]}"


def test_the_har_holds_one_entry_per_exchange_recorded(full_run: FullRun) -> None:
    """Every exchange a check recorded is in the HAR, under that check; a check that sent
    requests outside the recorded client (the unthrottled rate-limit client keeps the
    listeners) has their answers there too, but never more entries than requests it sent."""
    for target in full_run.record.targets:
        log = _load(Path(target.har))["log"]
        assert log["version"] == "1.2"
        entries = log["entries"]
        recorded: dict[str, int] = {}
        sent: dict[str, int] = {}
        for result in full_run.report.results:
            if result.vendor == target.vendor:
                recorded[result.check] = recorded.get(result.check, 0) + len(result.exchanges)
                sent[result.check] = sent.get(result.check, 0) + result.requests
        per_check = Counter(e["_check"] for e in entries)
        assert set(per_check) <= set(recorded), target.vendor
        for check, count in recorded.items():
            assert count <= per_check[check] <= sent[check], (target.vendor, check)
        assert len(entries) >= sum(recorded.values()) > 0, target.vendor
        assert all(e["request"]["url"].startswith("https://127.0.0.1:") for e in entries)


def test_the_broken_clause_exchange_is_in_the_har(full_run: FullRun) -> None:
    finding = next(f for f in full_run.report.findings if f.clause == "ITRP-PAGE-LINK")
    evidence = finding.evidence[0]
    itrp = next(t for t in full_run.record.targets if t.vendor == "itrp")
    entries = _load(Path(itrp.har))["log"]["entries"]
    match = [e for e in entries if e["request"]["url"] == evidence.url]
    assert match, evidence.url
    headers = {h["name"]: h["value"] for h in match[0]["response"]["headers"]}
    assert 'rel="next"' in headers["link"]


def test_cases_carry_their_exchanges_as_har_and_reports_link_the_files(
    full_run: FullRun, validator: jsonschema.Draft202012Validator
) -> None:
    with_exchanges = 0
    for path in full_run.allure.glob("*-result.json"):
        result = _load(path)
        hars = [a for a in result["attachments"] if a["name"] == "exchanges of this case (HAR 1.2)"]
        steps = [s for check in result["steps"] for s in check["steps"]]
        if any(a["name"] == "request" for s in steps for a in s["attachments"]):
            with_exchanges += 1
            assert len(hars) == 1, result["name"]
            log = _load(full_run.allure / hars[0]["source"])
            assert not list(validator.iter_errors(log)), result["name"]
            assert log["log"]["entries"]
    assert with_exchanges > 100
    for report in full_run.compliance.reports:
        assert report.meta.har == f"har/{report.stem}.har"
        assert (full_run.compliance.folder / report.meta.har).is_file()


def test_a_redacted_url_stays_a_valid_uri_and_a_cut_body_says_so(
    validator: jsonschema.Draft202012Validator,
) -> None:
    secret = "s3cr3t-token-value"
    exchange = Exchange(
        method="POST",
        url=f"https://h.example/v1/requests?api_token={secret}&q=a b",
        request_headers=(("content-type", "application/json"), ("authorization", secret)),
        request_body=b'{"subject": "x"}',
        status=201,
        headers=httpx.Headers({"content-type": "application/json"}),
        content=b'{"id": 1, "notes": "' + b"x" * 70_000 + b'"}',
        elapsed=0.012,
        operation="requests.create",
    )
    view = ExchangeView.of(exchange, Redactor([secret]))
    entry = har_entry(view, "writes.create", "requests.create", datetime.now(UTC))
    log = {"version": "1.2", "creator": {"name": "t", "version": "0"}, "entries": [entry]}
    assert not list(validator.iter_errors({"log": log}))
    assert secret not in json.dumps(entry)
    request = entry["request"]
    assert request["url"] == "https://h.example/v1/requests?api_token=%5BREDACTED%5D&q=a%20b"
    assert {"name": "api_token", "value": "[REDACTED]"} in request["queryString"]
    assert request["postData"] == {"mimeType": "application/json", "text": '{"subject": "x"}'}
    assert "cut by the harness" in entry["response"]["content"]["comment"]
    assert entry["response"]["statusText"] == "Created"
