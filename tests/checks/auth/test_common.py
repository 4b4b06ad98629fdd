"""The auth and token checks' shared helpers: probes' credentials, scheme roles and
refusal statuses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness._resources import vendor_names
from harness.checks import CheckContext, TargetSession
from harness.checks.auth._common import (
    expectation,
    mutate,
    read_only_schemes,
    refused_schemes,
    secret_credentials,
)
from harness.profiles import load_profile
from tests.support.sessions import fake_session


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[dict[tuple[str, bool], TargetSession]]:
    made: dict[tuple[str, bool], TargetSession] = {}
    for vendor in vendor_names():
        for strict in (False, True):
            made[(vendor, strict)] = fake_session(
                tmp_path, vendor, lambda r: httpx.Response(500), strict=strict
            )
    yield made
    for session in made.values():
        session.client.close()


def _ctx(
    sessions: dict[tuple[str, bool], TargetSession], vendor: str, check: str, strict: bool = False
) -> CheckContext:
    return CheckContext(session=sessions[(vendor, strict)], check=check)


def test_a_mutated_credential_keeps_its_shape_but_differs() -> None:
    for value in ("tt_admin_0123456789", "3f1e6c2a9b8d", "eyJh.eyJz.c2ln", "zzzz"):
        changed = mutate(value)
        assert changed != value
        assert len(changed) == len(value)
        assert changed.count(".") == value.count(".")
    assert mutate("tt_admin_0123456789").startswith("tt_admin_")
    assert mutate("") != ""


def test_the_secret_of_a_basic_scheme_is_what_its_password_names() -> None:
    itrp = {s.id: s for s in load_profile("itrp").auth}
    trackops = load_profile("trackops").auth[0]
    assert secret_credentials(trackops) == ("api_token",)
    assert secret_credentials(itrp["token-basic"]) == ("api_token",)  # password is a literal x
    assert secret_credentials(itrp["password-basic"]) == ("password",)


def test_refused_and_read_only_schemes_come_from_the_features() -> None:
    profiles = {vendor: load_profile(vendor) for vendor in vendor_names()}
    refused = {v: [s.id for s in refused_schemes(p)] for v, p in profiles.items()}
    read_only = {v: [s.id for s in read_only_schemes(p)] for v, p in profiles.items()}
    assert {v: ids for v, ids in refused.items() if ids} == {"trackops": ["limited-basic"]}
    assert {v: ids for v, ids in read_only.items() if ids} == {"toptickets": ["read-only-key"]}


def test_an_ambiguous_refusal_status_accepts_every_reading_unless_strict(
    sessions: dict[tuple[str, bool], TargetSession],
) -> None:
    missing = expectation(_ctx(sessions, "trackops", "auth.missing-refused"), (401,))
    assert missing.accepts(403) and missing.accepts(404) and not missing.accepts(200)
    strict = expectation(_ctx(sessions, "trackops", "auth.missing-refused", strict=True), (401,))
    assert strict.accepts(401) and not strict.accepts(403)
    limited = expectation(_ctx(sessions, "trackops", "auth.excluded-user-refused"), (403,))
    assert limited.accepts(401) and limited.accepts(403) and not limited.accepts(404)
    strict_limited = expectation(
        _ctx(sessions, "trackops", "auth.excluded-user-refused", strict=True), (403,)
    )
    assert strict_limited.accepts(403) and not strict_limited.accepts(401)


def test_an_unambiguous_refusal_status_is_the_documented_one(
    sessions: dict[tuple[str, bool], TargetSession],
) -> None:
    found = expectation(_ctx(sessions, "toptickets", "auth.missing-refused"), (401,))
    assert found.accepts(401) and not found.accepts(403)
    body = expectation(_ctx(sessions, "turitop", "auth.schemes-accepted"), (401,))
    assert body.statuses == frozenset({401})  # body/bearer readings say nothing of statuses
