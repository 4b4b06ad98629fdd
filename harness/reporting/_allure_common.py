"""What the Allure results writer and the HTML build share: statuses, categories, ids."""

from __future__ import annotations

import hashlib

__all__ = ["CATEGORIES", "STATUS", "history_id", "millis"]

STATUS = {"passed": "passed", "failed": "failed", "error": "broken", "skipped": "skipped"}

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


def history_id(*parts: str) -> str:
    return hashlib.md5("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def millis(seconds: float) -> int:
    return int(seconds * 1000)
