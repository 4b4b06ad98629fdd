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
    """How requests travel: the methods that serve operations and what GET parameters do."""

    methods: tuple[str, ...] = ()  # the only methods that serve operations
    get_parameters: str | None = None  # "ignored": a GET query string is not honoured


TRANSPORT = FeatureKey("transport", Transport)


@dataclass(frozen=True)
class RequestHeaders:
    """The headers a request must carry."""

    # the methods whose requests need the Content-Type of [content] request_type
    content_type_methods: tuple[str, ...] = ()


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
