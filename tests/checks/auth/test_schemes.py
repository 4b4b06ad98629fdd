"""auth.schemes-accepted and auth.optional-schemes-accepted: each refused scheme is
blamed on the clause its aspect (the scheme id) links to; lenient readings of an
ambiguous scheme pass."""

from __future__ import annotations

from pathlib import Path

from harness.checks import get_check, routing_for
from harness.profiles import load_profile
from tests.checks.auth._mock import clauses, credential, itrp_server, run, turitop_server


def test_a_token_accepted_only_as_bearer_passes_leniently_but_not_strictly(tmp_path: Path) -> None:
    check = "auth.schemes-accepted"
    lenient = run(tmp_path, "turitop", check, turitop_server(body_ok=False, bearer_ok=True))
    strict = run(
        tmp_path, "turitop", check, turitop_server(body_ok=False, bearer_ok=True), strict=True
    )
    assert clauses(lenient) == set()
    assert clauses(strict) == {"TURI-AUTH-TOKEN-BODY"}


def test_a_refused_bearer_reading_alone_is_no_finding(tmp_path: Path) -> None:
    result = run(
        tmp_path, "turitop", "auth.schemes-accepted", turitop_server(True, False), strict=True
    )
    assert clauses(result) == set()


def test_each_refused_scheme_is_blamed_on_its_own_clause(tmp_path: Path) -> None:
    required, optional = "auth.schemes-accepted", "auth.optional-schemes-accepted"
    no_query = itrp_server(query_ok=False, password_ok=True)
    no_password = itrp_server(query_ok=True, password_ok=False)
    assert clauses(run(tmp_path, "itrp", required, no_query)) == {"ITRP-AUTH-TOKEN-QUERY"}
    assert clauses(run(tmp_path, "itrp", optional, no_query)) == set()
    assert clauses(run(tmp_path, "itrp", required, no_password)) == set()
    assert clauses(run(tmp_path, "itrp", optional, no_password)) == {"ITRP-AUTH-BASIC"}


def test_optional_schemes_without_credentials_are_skipped_with_the_reason(tmp_path: Path) -> None:
    only_token = {"api_token": credential("itrp", "api_token")}
    result = run(
        tmp_path,
        "itrp",
        "auth.optional-schemes-accepted",
        itrp_server(True, True),
        credentials=only_token,
    )
    assert result.outcome == "skipped"
    assert "password-basic" in result.reason


def test_each_scheme_maps_to_the_clause_about_it() -> None:
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
        profile = load_profile(vendor)
        routing = routing_for(vendor)
        for scheme in profile.auth:
            if scheme.id in by_scheme:
                assert scheme.id in get_check(check).aspects(profile)
                routed = routing.route(check, (scheme.id,))
                assert [c.id for c in routed] == [by_scheme[scheme.id]]
