"""The auth checks' helpers: probes' credentials, scheme roles, clause choice, statuses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.checks import CheckContext, TargetSession
from harness.checks.auth_support import (
    clause_for_scheme,
    expectation,
    mutate,
    read_only_schemes,
    refused_schemes,
    secret_credentials,
)
from harness.engine import open_session
from harness.profiles import load_profile
from harness.targets import load_target

CREDENTIALS = {
    "itrp": {"api_token": "a1b2c3d4e5f6a7b8"},
    "toptickets": {"api_key": "tt_admin_0123456789"},
    "trackops": {"username": "sam", "api_token": "tok-12345"},
    "turitop": {"short_id": "C123", "secret_key": "sk-123456"},
    "turris": {"client_id": "cid-123", "client_secret": "secret-123"},
}


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[dict[tuple[str, bool], TargetSession]]:
    made: dict[tuple[str, bool], TargetSession] = {}
    for vendor, credentials in CREDENTIALS.items():
        for strict in (False, True):
            path = tmp_path / f"{vendor}-{strict}.toml"
            lines = [f'vendor = "{vendor}"', f'base_url = "https://{vendor}.test/v1"']
            lines += ['mode = "emulator"', f"strict = {'true' if strict else 'false'}"]
            lines += ["[credentials]"] + [f'{k} = "{v}"' for k, v in credentials.items()]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            transport = httpx.MockTransport(lambda r: httpx.Response(500))
            made[(vendor, strict)] = open_session(
                load_target(path, environ={}), transport=transport
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
    assert [s.id for s in refused_schemes(load_profile("trackops"))] == ["limited-basic"]
    assert [s.id for s in read_only_schemes(load_profile("toptickets"))] == ["read-only-key"]
    for vendor in ("itrp", "turitop", "turris"):
        assert refused_schemes(load_profile(vendor)) == ()
        assert read_only_schemes(load_profile(vendor)) == ()


def test_each_scheme_maps_to_the_clause_about_it(
    sessions: dict[tuple[str, bool], TargetSession],
) -> None:
    expected = {
        ("itrp", "auth.schemes-accepted"): {
            "token-basic": "ITRP-AUTH-TOKEN-BASIC",
            "token-query": "ITRP-AUTH-TOKEN-QUERY",
        },
        ("itrp", "auth.optional-schemes-accepted"): {"password-basic": "ITRP-AUTH-BASIC"},
        ("turris", "auth.schemes-accepted"): {"bearer-jwt": "TRS-AUTH-BEARER"},
        ("turris", "auth.optional-schemes-accepted"): {"restricted-token": "TRS-AUTH-RESTRICTED"},
    }
    for (vendor, check), by_scheme in expected.items():
        ctx = _ctx(sessions, vendor, check)
        for scheme in ctx.profile.auth:
            if scheme.id in by_scheme:
                assert clause_for_scheme(ctx, scheme) == by_scheme[scheme.id]


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
