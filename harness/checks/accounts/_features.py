"""The ``[features.account_switch]`` table, typed. Read with
``ctx.feature(ACCOUNT_SWITCH)`` or ``ACCOUNT_SWITCH.read(profile)``."""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["ACCOUNT_SWITCH", "AccountSwitch"]


@dataclass(frozen=True)
class AccountSwitch:
    """A request header naming the account a request acts for, and the hash that
    references an account on its records."""

    header: str  # the request header naming the account
    example_path: str = "/"  # a read the document switches (may carry a query)
    example_values: tuple[str, ...] = ()  # account ids the document shows
    reference_key: str = "account"  # the attribute holding a record's account hash
    reference_fields: tuple[str, ...] = ("id", "name")  # what an account hash holds


ACCOUNT_SWITCH = FeatureKey("account_switch", AccountSwitch)
