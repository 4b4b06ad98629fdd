"""What the error checks share: the error schema of a status, and the aspects an error body
problem is about (computed from the profile, routed by the vendors' links)."""

from __future__ import annotations

from harness._resources import vendor_names
from harness.checks import Routing, load_all, routing_for
from harness.checks.errors._common import body_aspects, error_schema, problem_aspects
from harness.checks.errors._features import errors_of
from harness.profiles import load_profile


def test_an_undocumented_error_status_falls_back_to_the_general_error_schema() -> None:
    profile = load_profile("turris")
    assert error_schema(profile, 404) == "error-404.schema.json"
    assert error_schema(profile, 422) == "error-422.schema.json"  # PUBLIC-FACTS status
    assert error_schema(profile, 418) == "error.schema.json"


def test_a_status_is_an_aspect_where_its_error_body_has_a_schema_of_its_own() -> None:
    itrp = load_profile("itrp")
    assert body_aspects(itrp) == ("status-422",)  # the other statuses share error.schema.json
    assert problem_aspects(itrp, 422, "errors") == ("status-422",)
    assert problem_aspects(itrp, 404, "message") == ()  # the general body: the bare link


def test_the_error_body_fields_the_profile_lists_are_aspects() -> None:
    turris = load_profile("turris")
    fields = errors_of(turris).fields
    assert fields and all(f"field-{name}" in body_aspects(turris) for name in fields)
    assert problem_aspects(turris, 404, "errorMessage") == ("status-404", "field-errorMessage")
    assert problem_aspects(turris, 418, "nowhere") == ()


def test_every_vendor_routes_every_error_body_problem_to_a_clause() -> None:
    load_all()
    for vendor in vendor_names():
        profile, routing = load_profile(vendor), routing_for(vendor)
        for aspect in ((), *((a,) for a in body_aspects(profile))):
            assert routing.route("errors.body-shape", aspect), (vendor, aspect)


def test_a_problem_is_routed_by_its_status_first_then_by_its_field() -> None:
    load_all()
    top, itrp, turris = routing_for("toptickets"), routing_for("itrp"), routing_for("turris")
    profile = load_profile("turris")

    def ids(routing: Routing, aspects: tuple[str, ...]) -> list[str]:
        return [c.id for c in routing.route("errors.body-shape", aspects)]

    assert ids(top, ("status-422",)) == ["TOP-ERR-422-SHAPE"]
    assert ids(top, ("status-429",)) == ["TOP-ERR-DETAIL"]
    assert ids(itrp, ("status-422",)) == ["ITRP-ERR-422"]
    assert ids(itrp, ()) == ["ITRP-ERR-BODY"]
    assert ids(turris, problem_aspects(profile, 400, "errorMessage")) == ["TRS-ERR-MESSAGES"]
    assert ids(turris, problem_aspects(profile, 404, "statusCode")) == ["TRS-ERR-STATUS-MATCH"]
    assert ids(turris, problem_aspects(profile, 404, "requestId")) == ["TRS-ERR-SHAPE"]
