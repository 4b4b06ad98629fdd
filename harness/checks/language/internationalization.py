"""Internationalization: the enumerations list the supported language codes, and the
documented language header chooses the language of their translated texts.

- ``language.codes``: the language enumeration is a non-empty list of ``{id, txt}``
  entries including the document's example code (strict mode: every code it names);
- ``language.header``: the enumerations read with the header naming two different
  codes answer different texts; in strict mode the example language's texts are the
  ones the document shows.
"""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import is_success, shown
from harness.checks._registry import check
from harness.checks.language._common import enumerations
from harness.checks.language._features import LANGUAGE
from harness.checks.records._features import ENUMS
from harness.profiles import Profile

__all__ = ["codes", "documents_enums", "header", "language_codes", "translated_texts"]


def documents_enums(profile: Profile) -> str | None:
    """None when the profile documents the enumerations, else why a check skips."""
    return ENUMS.applies(profile)


def language_codes(ctx: CheckContext, body: Any) -> list[Any] | None:
    """The entries of the language enumeration (None when the body has no such list)."""
    found = body.get(ctx.feature(LANGUAGE).enums_key) if isinstance(body, dict) else None
    return found if isinstance(found, list) else None


def translated_texts(ctx: CheckContext, body: Any) -> dict[tuple[str, str], str]:
    """(enumeration, value id) -> txt of every enumeration but the language list."""
    skip = ctx.feature(LANGUAGE).enums_key
    texts: dict[tuple[str, str], str] = {}
    if isinstance(body, dict):
        for name, entries in body.items():
            if name == skip or not isinstance(entries, list):
                continue
            for e in entries:
                if isinstance(e, dict) and isinstance(e.get("txt"), str):
                    texts[(str(name), str(e.get("id")))] = e["txt"]
    return texts


# ------------------------------------------------------------------ codes
@check(
    "language.codes",
    concern="vendor",
    requires=(LANGUAGE,),
    applies=documents_enums,
    aliases=("rules_a.language-codes",),
)
def codes(ctx: CheckContext) -> None:
    """The enumerations list the supported language codes as {id, txt} entries."""
    language = ctx.feature(LANGUAGE)
    key = language.enums_key
    exchange = enumerations(ctx, None)
    if not is_success(exchange):
        ctx.skip(f"the enumerations answered {exchange.status}")
    entries = language_codes(ctx, exchange.json())
    if not entries:
        ctx.finding(f"no {key} list", f"the enumerations carry no non-empty {key!r} list", exchange)
        return
    fields = list(ctx.feature(ENUMS).entry_fields)
    bad = [
        f"/{key}/{i}"
        for i, e in enumerate(entries)
        if not isinstance(e, dict) or any(not isinstance(e.get(k), str) or not e[k] for k in fields)
    ]
    if bad:
        ctx.finding(f"{key} entries are not {fields}", shown(bad), exchange)
    ids = {e.get("id") for e in entries if isinstance(e, dict)}
    wanted = [language.example_code] if language.example_code else []
    if ctx.strict:
        wanted += language.documented_codes
    missing = sorted({c for c in wanted if c not in ids})
    if missing:
        ctx.finding(
            f"documented language codes missing: {missing}",
            f"the {key} list lacks {missing}, which the document names",
            exchange,
        )


# ------------------------------------------------------------------ header
def _two_codes(ctx: CheckContext) -> tuple[str, str]:
    """The document's example code and another known code (skips with fewer than two)."""
    language = ctx.feature(LANGUAGE)
    example = language.example_code or ""
    listed = language_codes(ctx, enumerations(ctx, None).json()) or []
    known = [str(e.get("id")) for e in listed if isinstance(e, dict)]
    known = known or list(language.documented_codes)
    other = next((c for c in known if c.lower() != example.lower()), None)
    if not example or other is None:
        ctx.skip("fewer than two language codes are known")
    return example, other


@check(
    "language.header",
    concern="vendor",
    requires=(LANGUAGE,),
    applies=documents_enums,
    aliases=("rules_a.language-header",),
)
def header(ctx: CheckContext) -> None:
    """The language header changes the translated texts of the enumerations."""
    language = ctx.feature(LANGUAGE)
    name = language.header
    example, other = _two_codes(ctx)
    mine, theirs = enumerations(ctx, example), enumerations(ctx, other)
    if not (is_success(mine) and is_success(theirs)):
        ctx.finding(
            f"{name} refused",
            f"the enumerations answered {mine.status} with {name}: {example} and "
            f"{theirs.status} with {name}: {other}",
            mine,
            theirs,
        )
        return
    a, b = translated_texts(ctx, mine.json()), translated_texts(ctx, theirs.json())
    if a and not any(a[k] != b.get(k) for k in a):
        ctx.finding(
            f"{name} changes no text",
            f"the translated texts are identical with {name}: {example} and {name}: {other}",
            mine,
            theirs,
        )
        return
    documented = language.example_translations.get(example) or {}
    if ctx.strict and documented:
        by_id = {i: t for (_, i), t in a.items()}
        wrong = [
            f"{i}: {by_id.get(i)!r} (document: {t!r})"
            for i, t in documented.items()
            if i in by_id and by_id[i] != t
        ]
        if wrong:
            ctx.finding(f"{example} texts differ from the document", shown(wrong), mine)
