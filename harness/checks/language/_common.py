"""The enumerations, read once per session and language: what the language checks
compare, and the write checks' source of valid enumerated values (the same request,
sent once)."""

from __future__ import annotations

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks.language._features import LANGUAGE
from harness.checks.records._features import ENUMS
from harness.client import Exchange

__all__ = ["enumerations"]


@memoized
def enumerations(ctx: CheckContext, language: str | None) -> Exchange:
    """The documented enumerations (``[features.enums] path``), in ``language`` (sent in
    the language header) or, for None, in the caller's default language (always pass
    ``language`` positionally: it is part of the memo key)."""
    enums = ctx.optional_feature(ENUMS)
    path = (enums.path if enums else None) or "/enums"
    headers = {ctx.feature(LANGUAGE).header: language} if language else None
    return ctx.client.request("GET", path, headers=headers)
