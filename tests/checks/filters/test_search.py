"""The search checks against a fake case-management API."""

from __future__ import annotations

from pathlib import Path

from tests.checks.collections._fake_cases import clauses, fake_cases_api, run
from tests.support.sessions import fake_session


def test_an_encoded_colon_answered_400_is_found(tmp_path: Path) -> None:
    session = fake_session(tmp_path, "trackops", fake_cases_api(reject_encoded=True))
    result = run(session, "filters.url-encoded")
    assert clauses(result) == {"TRK-SEARCH-URL-ENCODED"}
    sent = result.exchanges[0].url
    assert "%20" in sent and "%3A" in sent
