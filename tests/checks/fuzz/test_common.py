"""What the fuzz checks share: which operations are fuzzed, and the aspects a finding is
about (a refusal about its parameter, routed by the vendors' links)."""

from __future__ import annotations

from harness._resources import vendor_names
from harness.checks import Routing, load_all, routing_for
from harness.checks.fuzz._common import fuzzable, mirrored, refusal_aspects
from harness.errors import HarnessError
from harness.profiles import load_profile


def test_every_vendor_has_fuzzed_operations() -> None:
    for vendor in vendor_names():
        assert any(fuzzable(op) for op in load_profile(vendor).operations), vendor


def _refusal_clause(routing: Routing, check: str, aspect: str) -> str | None:
    try:
        return routing.route(check, (aspect,))[0].id
    except HarnessError:
        return None


def test_a_refusal_is_blamed_on_the_clause_about_the_parameter() -> None:
    load_all()
    top = routing_for("toptickets")
    found = {
        name: _refusal_clause(top, "fuzz.invalid-refused", f"param-{name}")
        for name in ("status", "priority", "limit", "offset")
    }
    assert found == {
        "status": "TOP-DATA-ENUM-422",
        "priority": "TOP-DATA-ENUM-422",
        "limit": "TOP-ERR-BAD-PARAM",
        "offset": "TOP-ERR-BAD-PARAM",
    }
    itrp = routing_for("itrp")
    assert _refusal_clause(itrp, "fuzz.invalid-refused", "param-per_page") == "ITRP-PAGE-BAD-SIZE"
    assert "param-page" not in refusal_aspects(load_profile("itrp"))  # no ITRP clause is about page
    assert _refusal_clause(itrp, "fuzz.invalid-refused", "param-page") is None


def test_a_check_judging_an_invariant_on_the_side_names_its_aspects_prefixed() -> None:
    profile = load_profile("toptickets")
    assert mirrored(profile, "fuzz.invalid-refused") == (
        "invalid-refused.param-limit",
        "invalid-refused.param-offset",
        "invalid-refused.param-status",
        "invalid-refused.param-priority",
    )
    assert mirrored(profile, "fuzz.success-shape", only={"object"}) == ("success-shape.object",)
    assert mirrored(profile, "fuzz.json-responses") == ("json-responses",)
    assert "error-bodies" in mirrored(profile, "fuzz.error-bodies")
    load_all()
    top = routing_for("toptickets")
    assert _refusal_clause(top, "fuzz.openapi", "error-bodies.status-422") == "TOP-ERR-422-SHAPE"
    assert _refusal_clause(top, "fuzz.write-bodies", "created") == "TOP-STATUS-201"
