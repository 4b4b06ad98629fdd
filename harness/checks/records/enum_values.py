"""Enumerated attributes: the main records hold only the values ``[features.enums]``
documents for each attribute."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._ops import shown
from harness.checks._registry import check
from harness.checks.records._common import main_records
from harness.checks.records._features import ENUMS
from harness.client import Exchange


@check(
    "records.enum-values",
    concern="vendor",
    requires=(ENUMS,),
    aliases=("rules_a.enum-values",),
)
def enum_values(ctx: CheckContext) -> None:
    """Enumerated attributes of the main records hold documented values only."""
    fields = ctx.feature(ENUMS).value_sets()
    bad: dict[str, tuple[list[str], Exchange]] = {}
    for where, record, exchange in main_records(ctx):
        if not isinstance(record, dict):
            continue
        for name, allowed in fields.items():
            if name in record and record[name] is not None and record[name] not in allowed:
                bad.setdefault(exchange.url, ([], exchange))[0].append(
                    f"{where}/{name} = {record[name]!r} (documented: {', '.join(allowed)})"
                )
    for problems, exchange in bad.values():
        ctx.finding("undocumented enum values", shown(problems), exchange)
