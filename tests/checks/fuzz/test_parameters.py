"""What each generated value is judged to be: valid, invalid (refused with the documented
status) or left to the server."""

from __future__ import annotations

from pathlib import Path

from harness.checks.fuzz.parameters import combine, op_params
from tests.checks.fuzz._sessions import scripted_context


def test_paging_values_outside_the_documented_domain_are_invalid(tmp_path: Path) -> None:
    with scripted_context(tmp_path, "toptickets", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("tickets.list"))
        assert combine(ctx, params, {"limit": 500, "offset": 0}).expect == "valid"
        for values in ({"limit": 0}, {"limit": "abc"}, {"offset": "-1"}, {"limit": "1.5"}):
            verdict = combine(ctx, params, values)
            assert verdict.expect == "invalid", values
            assert verdict.about == tuple(values)
        oversize = combine(ctx, params, {"limit": 501})
        assert oversize.expect == "any"  # the document does not say what happens above 500
        assert "maximum 500" in oversize.why


def test_enum_filters_accept_documented_values_and_refuse_others(tmp_path: Path) -> None:
    with scripted_context(tmp_path, "toptickets", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("tickets.list"))
        assert combine(ctx, params, {"status": "open", "priority": "urgent"}).expect == "valid"
        verdict = combine(ctx, params, {"status": "harness-not-a-status"})
        assert (verdict.expect, verdict.kinds) == ("invalid", ("enum",))
        assert combine(ctx, params, {"search": "any text at all"}).expect == "valid"


def test_repeated_values_and_unknown_names_are_left_to_the_server(tmp_path: Path) -> None:
    with scripted_context(tmp_path, "toptickets", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("tickets.list"))
        assert combine(ctx, params, {"limit": ["1", "2"]}).expect == "any"
        assert combine(ctx, params, {"no_such_name": "1"}).expect == "any"


def test_unknown_names_are_invalid_only_in_the_strict_reading(tmp_path: Path) -> None:
    values = {"no_such_filter_trk": "1"}
    with scripted_context(tmp_path, "trackops", "fuzz.invalid-refused") as ctx:
        params = op_params(ctx, ctx.profile.operation("clients.list"))
        assert combine(ctx, params, values).expect == "any"
    with scripted_context(tmp_path, "trackops", "fuzz.invalid-refused", strict=True) as ctx:
        assert combine(ctx, params, values).expect == "invalid"
