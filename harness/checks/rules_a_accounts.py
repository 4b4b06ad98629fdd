"""Switching accounts with a request header, account hashes on foreign records, and the
language header with its list of language codes."""

from __future__ import annotations

from typing import Any

from harness.checks._context import CheckContext
from harness.checks._ops import call, items_of, list_operation_for, record_id
from harness.checks._registry import check
from harness.checks.rules_a import (
    feature,
    is_success,
    list_page,
    placeholder,
    requires,
    shown,
    split_example,
    walk,
)
from harness.client import Exchange

_REFUSED = (401, 403, 404, 406, 422)
MAX_CANDIDATES = 4


def _account_hashes(ctx: CheckContext, body: Any) -> list[tuple[str, Any]]:
    """(pointer, value) of every account hash (the documented reference key) in a body."""
    key = str(feature(ctx.profile, "account_switch").get("reference_key") or "account")
    return [(p, v) for p, k, v in walk(body) if k == key]


def _candidates(ctx: CheckContext) -> list[str]:
    """Accounts to switch to: those referenced by the main collection, then the document's."""
    f = feature(ctx.profile, "account_switch")
    seen: list[str] = []
    page = list_page(ctx, ctx.profile.main_operation)
    for _, value in _account_hashes(ctx, page.json() if is_success(page) else None):
        if isinstance(value, dict) and value.get("id") not in (None, ""):
            seen.append(str(value["id"]))
    seen += [str(v) for v in f.get("example_values", [])]
    return list(dict.fromkeys(seen))[:MAX_CANDIDATES]


def _switched(ctx: CheckContext) -> tuple[Exchange, Exchange, str] | None:
    """(own answer, switched answer, account) of the example read, once per run; None
    when no candidate account is accepted (none is trusted for these credentials)."""
    key = "rules_a:switched"
    if key not in ctx.cache:
        f = feature(ctx.profile, "account_switch")
        header = str(f.get("header"))
        path, params = split_example(str(f.get("example_path") or "/"))
        own = ctx.client.request("GET", path, params=params or None)
        found: tuple[Exchange, Exchange, str] | None = None
        if is_success(own):
            for account in _candidates(ctx):
                other = ctx.client.request(
                    "GET", path, params=params or None, headers={header: account}
                )
                if other.status not in _REFUSED:
                    found = (own, other, account)
                    break
        ctx.cache[key] = found
    result: tuple[Exchange, Exchange, str] | None = ctx.cache[key]
    return result


@check("rules_a.account-switch", concern="vendor", applies=requires("account_switch"))
def account_switch(ctx: CheckContext) -> None:
    """The account header naming a trusted account makes a read answer that account's data."""
    header = str(feature(ctx.profile, "account_switch").get("header"))
    found = _switched(ctx)
    if found is None:
        ctx.skip(f"no account to switch to was accepted in {header} (none trusted here)")
    own, other, account = found
    if not is_success(other):
        ctx.finding(
            f"{header} read failed",
            f"{other.method} with {header}: {account} answered {other.status}",
            other,
        )
    elif other.json() == own.json():
        ctx.finding(
            f"{header} ignored",
            f"{other.method} with {header}: {account} answered exactly the records of the "
            "caller's own account",
            own,
            other,
        )


def _hash_problems(ctx: CheckContext, body: Any) -> list[str]:
    fields = [
        str(x)
        for x in feature(ctx.profile, "account_switch").get("reference_fields", ["id", "name"])
    ]
    problems = []
    for pointer, value in _account_hashes(ctx, body):
        if not isinstance(value, dict) or any(
            not isinstance(value.get(k), str | int) or value.get(k) == "" for k in fields
        ):
            problems.append(f"{pointer} is {str(value)[:60]!r}, not an {fields} hash")
    return problems


@check("rules_a.account-ref", concern="vendor", applies=requires("account_switch"))
def account_ref(ctx: CheckContext) -> None:
    """A record of another account, read from the caller's own account, carries an
    account hash with that account's id and name."""
    f = feature(ctx.profile, "account_switch")
    header, key = str(f.get("header")), str(f.get("reference_key") or "account")
    page = list_page(ctx, ctx.profile.main_operation)
    problems = _hash_problems(ctx, page.json() if is_success(page) else None)
    if problems:
        ctx.finding("malformed account hash", shown(problems), page)
    found = _switched(ctx)
    if found is None:
        if problems:
            return
        ctx.skip(f"no account to switch to was accepted in {header}: no foreign record known")
    account = found[2]
    for op in ctx.profile.operations:
        listing = list_operation_for(ctx, op) if op.kind == "object" and not op.write else None
        if listing is None:
            continue
        foreign = call(ctx, listing, headers={header: account})
        records = items_of(ctx, foreign.json()) if is_success(foreign) else None
        rid = record_id(records[0]) if records else None
        if rid is None:
            continue
        own_view = call(ctx, op, ids={placeholder(op): rid})
        if not is_success(own_view):
            if problems:
                return
            ctx.skip(f"{op.path} of a record of account {account} answered {own_view.status}")
        body = own_view.json()
        tag = body.get(key) if isinstance(body, dict) else None
        if not isinstance(tag, dict) or str(tag.get("id", "")).lower() != account.lower():
            ctx.finding(
                f"foreign record lacks its {key} hash",
                f"{op.path} ({rid}) belongs to account {account} (listed with {header}) but, "
                f"read without {header}, carries {key}={tag!r} instead of that account's hash",
                foreign,
                own_view,
            )
        elif not isinstance(tag.get("name"), str) or not tag["name"]:
            ctx.finding(
                f"{key} hash without a name",
                f"{op.path} ({rid}): {key}={tag!r} lacks the account's name",
                own_view,
            )
        return
    if not problems:
        ctx.skip("no documented record read has a collection to find a foreign record in")


def _enums(ctx: CheckContext, language: str | None) -> Exchange:
    key = f"rules_a:enums:{language}"
    if key not in ctx.cache:
        path = str(feature(ctx.profile, "enums").get("path") or "/enums")
        header = str(feature(ctx.profile, "language").get("header"))
        ctx.cache[key] = ctx.client.request(
            "GET", path, headers={header: language} if language else None
        )
    found: Exchange = ctx.cache[key]
    return found


def _codes(ctx: CheckContext, body: Any) -> list[Any] | None:
    key = str(feature(ctx.profile, "language").get("enums_key") or "language")
    found = body.get(key) if isinstance(body, dict) else None
    return found if isinstance(found, list) else None


@check("rules_a.language-codes", concern="vendor", applies=requires("language", "enums"))
def language_codes(ctx: CheckContext) -> None:
    """The enumerations list the supported language codes as {id, txt} entries."""
    f = feature(ctx.profile, "language")
    key = str(f.get("enums_key") or "language")
    exchange = _enums(ctx, None)
    if not is_success(exchange):
        ctx.skip(f"the enumerations answered {exchange.status}")
    codes = _codes(ctx, exchange.json())
    if not codes:
        ctx.finding(f"no {key} list", f"the enumerations carry no non-empty {key!r} list", exchange)
        return
    fields = [str(x) for x in feature(ctx.profile, "enums").get("entry_fields", ["id", "txt"])]
    bad = [
        f"/{key}/{i}"
        for i, e in enumerate(codes)
        if not isinstance(e, dict) or any(not isinstance(e.get(k), str) or not e[k] for k in fields)
    ]
    if bad:
        ctx.finding(f"{key} entries are not {fields}", shown(bad), exchange)
    ids = {e.get("id") for e in codes if isinstance(e, dict)}
    wanted = [str(f.get("example_code"))] if f.get("example_code") else []
    if ctx.strict:
        wanted += [str(c) for c in f.get("documented_codes", [])]
    missing = sorted({c for c in wanted if c not in ids})
    if missing:
        ctx.finding(
            f"documented language codes missing: {missing}",
            f"the {key} list lacks {missing}, which the document names",
            exchange,
        )


def _texts(ctx: CheckContext, body: Any) -> dict[tuple[str, str], str]:
    skip = str(feature(ctx.profile, "language").get("enums_key") or "language")
    texts: dict[tuple[str, str], str] = {}
    if isinstance(body, dict):
        for name, entries in body.items():
            if name == skip or not isinstance(entries, list):
                continue
            for e in entries:
                if isinstance(e, dict) and isinstance(e.get("txt"), str):
                    texts[(str(name), str(e.get("id")))] = e["txt"]
    return texts


@check("rules_a.language-header", concern="vendor", applies=requires("language", "enums"))
def language_header(ctx: CheckContext) -> None:
    """The language header changes the translated texts of the enumerations."""
    f = feature(ctx.profile, "language")
    header = str(f.get("header"))
    example = str(f.get("example_code") or "")
    listed = _codes(ctx, _enums(ctx, None).json()) or []
    codes = [str(e.get("id")) for e in listed if isinstance(e, dict)]
    codes = codes or [str(c) for c in f.get("documented_codes", [])]
    other = next((c for c in codes if c.lower() != example.lower()), None)
    if not example or other is None:
        ctx.skip("fewer than two language codes are known")
    mine, theirs = _enums(ctx, example), _enums(ctx, other)
    if not (is_success(mine) and is_success(theirs)):
        ctx.finding(
            f"{header} refused",
            f"the enumerations answered {mine.status} with {header}: {example} and "
            f"{theirs.status} with {header}: {other}",
            mine,
            theirs,
        )
        return
    a, b = _texts(ctx, mine.json()), _texts(ctx, theirs.json())
    if a and not any(a[k] != b.get(k) for k in a):
        ctx.finding(
            f"{header} changes no text",
            f"the translated texts are identical with {header}: {example} and {header}: {other}",
            mine,
            theirs,
        )
        return
    documented = f.get(f"example_translations_{example}") or {}
    if ctx.strict and documented:
        by_id = {i: t for (_, i), t in a.items()}
        wrong = [
            f"{i}: {by_id.get(i)!r} (document: {t!r})"
            for i, t in documented.items()
            if i in by_id and by_id[i] != t
        ]
        if wrong:
            ctx.finding(f"{example} texts differ from the document", shown(wrong), mine)
