"""What the transport checks share: the typed ``[features.transport]`` and
``[features.request_headers]`` tables, and whether an answer served its operation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from harness.checks._context import CheckContext
from harness.checks._features import FeatureKey
from harness.checks.envelope._features import ENVELOPE
from harness.client import Exchange

__all__ = ["REQUEST_HEADERS", "TRANSPORT", "RequestHeaders", "Transport", "served", "with_body"]


@dataclass(frozen=True)
class Transport:
    """How requests travel: the methods that serve operations, what GET parameters do,
    and the ambiguity of one transport clause (its readings and the strict one)."""

    methods: tuple[str, ...] = ()  # the only methods that serve operations
    get_parameters: str | None = None  # "ignored": a GET query string is not honoured
    ambiguity_clause: str | None = None
    readings: tuple[str, ...] = ()
    strict: str | None = None
    verify_certificate: str | None = None  # what the document says of certificate checks


TRANSPORT = FeatureKey("transport", Transport)


@dataclass(frozen=True)
class RequestHeaders:
    """The headers a request must carry."""

    content_type: str | None = None
    content_type_methods: tuple[str, ...] = ()  # the methods whose requests need it
    authorization_scheme: str | None = None
    schema: str | None = None  # the request headers' schema file (for emulators)


REQUEST_HEADERS = FeatureKey("request_headers", RequestHeaders)


def served(ctx: CheckContext, exchange: Exchange) -> bool:
    """Whether a response served the operation: 2xx and not an error envelope."""
    if not 200 <= exchange.status < 300:
        return False
    body = exchange.json()
    env = ctx.optional_feature(ENVELOPE)
    if env is None or not env.status_field or not env.error:
        return True
    return not (isinstance(body, Mapping) and body.get(env.status_field) == env.error)


def with_body(exchanges: list[Exchange]) -> list[Exchange]:
    """The answers that came with a (non-blank) body."""
    return [x for x in exchanges if x.content.strip()]
