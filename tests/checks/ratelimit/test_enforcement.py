"""Which clause an enforcement finding belongs to: each documented rule is an aspect (its
key tier, or its class of calls), and the vendor's links map it to the clause stating
that rule."""

from __future__ import annotations

from harness._resources import vendor_names
from harness.checks import get_check, routing_for
from harness.checks.ratelimit._common import rule_aspect, rule_aspects
from harness.profiles import load_profile

RULE_CHECKS = ("ratelimit.enforced", "ratelimit.recovers")


def _routed(vendor: str, check: str = "ratelimit.enforced") -> dict[str | None, list[str]]:
    """The clause ids of a finding about each documented rule, by key tier or class."""
    routing = routing_for(vendor)
    rules = load_profile(vendor).rate_limit.rules
    return {
        r.key_prefix or r.applies_to: [c.id for c in routing.route(check, (rule_aspect(r),))]
        for r in rules
    }


def test_an_enforcement_finding_is_attributed_by_the_rules_key_tier() -> None:
    assert _routed("toptickets") == {
        "tt_admin_": ["TOP-RL-ADMIN"],
        "tt_ro_": ["TOP-RL-RO"],
        "tt_agent_": ["TOP-RL-OTHER-TIERS"],
        "tt_live_": ["TOP-RL-OTHER-TIERS"],
    }


def test_an_enforcement_finding_is_attributed_by_the_rules_class_of_calls() -> None:
    assert _routed("turris") == {"token": ["TRS-RL-TOKEN"], "write": ["TRS-RL-WRITE"]}


def test_a_check_linked_to_one_clause_attributes_everything_to_it() -> None:
    assert _routed("itrp") == {"all": ["ITRP-RL-LIMIT"]}
    assert [c.id for c in routing_for("itrp").clauses_of("ratelimit.enforced")] == ["ITRP-RL-LIMIT"]


def test_every_rule_of_every_vendor_has_an_aspect_that_reaches_a_clause() -> None:
    for vendor in vendor_names():
        profile = load_profile(vendor)
        routing = routing_for(vendor)
        for name in RULE_CHECKS:
            assert get_check(name).aspects(profile) == rule_aspects(profile)
            if name not in routing.checks:
                continue
            for rule in profile.rate_limit.rules:
                assert routing.route(name, (rule_aspect(rule),)), (vendor, name, rule)
