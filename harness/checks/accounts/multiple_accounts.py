"""Multiple accounts: a request header names the account a request acts for.

- ``accounts.switch``: the header naming another account the credentials are trusted
  for makes a read answer that account's data instead of the caller's own;
- ``accounts.reference``: every account hash in the caller's records holds the
  documented fields, and a record of another account (listed with the header), read
  without the header, carries the hash (id and name) of the account it belongs to.

Both use one switched read per session (:func:`switched_read`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.checks._context import CheckContext
from harness.checks._memo import memoized
from harness.checks._ops import (
    call,
    is_success,
    items_of,
    list_operation_for,
    list_page,
    placeholder,
    record_id,
    shown,
    split_example,
    walk,
)
from harness.checks._registry import check
from harness.checks.accounts._features import ACCOUNT_SWITCH
from harness.client import Exchange

__all__ = ["Switched", "account_hashes", "reference", "switch", "switched_read"]

_REFUSED = (401, 403, 404, 406, 422)
MAX_CANDIDATES = 4


@dataclass(frozen=True)
class Switched:
    """The example read as the caller's own account and as ``account``."""

    own: Exchange
    other: Exchange
    account: str


def account_hashes(ctx: CheckContext, body: Any) -> list[tuple[str, Any]]:
    """(pointer, value) of every account hash (the documented reference key) in a body."""
    key = ctx.feature(ACCOUNT_SWITCH).reference_key
    return [(p, v) for p, k, v in walk(body) if k == key]


def _candidates(ctx: CheckContext) -> list[str]:
    """Accounts to switch to: those referenced by the main collection, then the document's."""
    seen: list[str] = []
    page = list_page(ctx, ctx.profile.main_operation)
    for _, value in account_hashes(ctx, page.json() if is_success(page) else None):
        if isinstance(value, dict) and value.get("id") not in (None, ""):
            seen.append(str(value["id"]))
    seen += list(ctx.feature(ACCOUNT_SWITCH).example_values)
    return list(dict.fromkeys(seen))[:MAX_CANDIDATES]


@memoized
def switched_read(ctx: CheckContext) -> Switched | None:
    """The example read as the caller's own account and as the first candidate account
    the header is accepted for; None when no candidate is accepted (none is trusted for
    these credentials)."""
    switch = ctx.feature(ACCOUNT_SWITCH)
    path, params = split_example(switch.example_path)
    own = ctx.client.request("GET", path, params=params or None)
    if not is_success(own):
        return None
    for account in _candidates(ctx):
        other = ctx.client.request(
            "GET", path, params=params or None, headers={switch.header: account}
        )
        if other.status not in _REFUSED:
            return Switched(own, other, account)
    return None


# ------------------------------------------------------------------ switching
@check(
    "accounts.switch",
    concern="vendor",
    requires=(ACCOUNT_SWITCH,),
    aliases=("rules_a.account-switch",),
)
def switch(ctx: CheckContext) -> None:
    """The account header naming a trusted account makes a read answer that account's data."""
    header = ctx.feature(ACCOUNT_SWITCH).header
    found = switched_read(ctx)
    if found is None:
        ctx.skip(f"no account to switch to was accepted in {header} (none trusted here)")
    other, account = found.other, found.account
    if not is_success(other):
        ctx.finding(
            f"{header} read failed",
            f"{other.method} with {header}: {account} answered {other.status}",
            other,
        )
    elif other.json() == found.own.json():
        ctx.finding(
            f"{header} ignored",
            f"{other.method} with {header}: {account} answered exactly the records of the "
            "caller's own account",
            found.own,
            other,
        )


# ------------------------------------------------------------------ account hashes
def _hash_problems(ctx: CheckContext, body: Any) -> list[str]:
    """Account hashes of a body that lack one of the documented fields."""
    fields = list(ctx.feature(ACCOUNT_SWITCH).reference_fields)
    problems = []
    for pointer, value in account_hashes(ctx, body):
        if not isinstance(value, dict) or any(
            not isinstance(value.get(k), str | int) or value.get(k) == "" for k in fields
        ):
            problems.append(f"{pointer} is {str(value)[:60]!r}, not an {fields} hash")
    return problems


def _judge_foreign(
    ctx: CheckContext, path: str, rid: Any, account: str, foreign: Exchange, own_view: Exchange
) -> None:
    """The record ``rid`` of ``account``, read without the header, names that account."""
    switch = ctx.feature(ACCOUNT_SWITCH)
    header, key = switch.header, switch.reference_key
    body = own_view.json()
    tag = body.get(key) if isinstance(body, dict) else None
    if not isinstance(tag, dict) or str(tag.get("id", "")).lower() != account.lower():
        ctx.finding(
            f"foreign record lacks its {key} hash",
            f"{path} ({rid}) belongs to account {account} (listed with {header}) but, "
            f"read without {header}, carries {key}={tag!r} instead of that account's hash",
            foreign,
            own_view,
        )
    elif not isinstance(tag.get("name"), str) or not tag["name"]:
        ctx.finding(
            f"{key} hash without a name",
            f"{path} ({rid}): {key}={tag!r} lacks the account's name",
            own_view,
        )


@check(
    "accounts.reference",
    concern="vendor",
    requires=(ACCOUNT_SWITCH,),
    aliases=("rules_a.account-ref",),
)
def reference(ctx: CheckContext) -> None:
    """A record of another account, read from the caller's own account, carries an
    account hash with that account's id and name."""
    header = ctx.feature(ACCOUNT_SWITCH).header
    page = list_page(ctx, ctx.profile.main_operation)
    problems = _hash_problems(ctx, page.json() if is_success(page) else None)
    if problems:
        ctx.finding("malformed account hash", shown(problems), page)
    found = switched_read(ctx)
    if found is None:
        if problems:
            return
        ctx.skip(f"no account to switch to was accepted in {header}: no foreign record known")
    account = found.account
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
        _judge_foreign(ctx, op.path, rid, account, foreign, own_view)
        return
    if not problems:
        ctx.skip("no documented record read has a collection to find a foreign record in")
