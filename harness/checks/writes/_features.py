"""The write tables, typed: ``[features.request_bodies]``, ``[features.validation_errors]``,
``[features.methods]``, ``[features.write_statuses]`` and ``[features.put_as_patch]``.

Read with ``ctx.feature(KEY)`` in a check that ``requires`` the table, or
``KEY.read(profile)`` (None when the profile lacks it); the auth, errors and fuzz checks
read ``request_bodies`` and ``validation_errors`` with these keys too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from harness.checks._features import FeatureKey

__all__ = [
    "METHODS",
    "PUT_AS_PATCH",
    "REQUEST_BODIES",
    "VALIDATION_ERRORS",
    "WRITE_STATUSES",
    "Methods",
    "PutAsPatch",
    "RequestBodies",
    "ValidationErrors",
    "WriteStatuses",
]


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class RequestBodies:
    """What write requests send: JSON bodies, their schemas and examples.

    ``<kind>_schema`` and ``<kind>_operation`` pair a request schema file with the id of
    the operation it describes (the fuzz checks read every such pair).
    """

    create_operation: str | None = None  # the operation id of the create checked
    create_schema: str | None = None
    update_operation: str | None = None
    update_schema: str | None = None
    example_create: Mapping[str, Any] = field(default_factory=_empty)  # a valid create body

    def schemas(self) -> tuple[tuple[str, str], ...]:
        """(operation id, request schema file) of each documented pair, creates first."""
        pairs = (
            (self.create_operation, self.create_schema),
            (self.update_operation, self.update_schema),
        )
        return tuple((op, schema) for op, schema in pairs if op and schema)


REQUEST_BODIES = FeatureKey("request_bodies", RequestBodies)


@dataclass(frozen=True)
class ValidationErrors:
    """How a write with invalid or missing data is refused."""

    status: int = 422
    message: str | None = None  # the error body's message
    errors_key: str = "errors"  # the member listing the errors
    required_on_create: tuple[str, ...] = ()  # fields a create cannot do without


VALIDATION_ERRORS = FeatureKey("validation_errors", ValidationErrors)


@dataclass(frozen=True)
class Methods:
    """The success status of a create (where the document gives one)."""

    create_status: int | None = None
    create_status_source: str | None = None  # "assumed" when the document gives none


METHODS = FeatureKey("methods", Methods)


@dataclass(frozen=True)
class WriteStatuses:
    """The success status of a delete."""

    delete: int | None = None
    delete_empty_body: bool = False  # a successful delete answers no body


WRITE_STATUSES = FeatureKey("write_statuses", WriteStatuses)


@dataclass(frozen=True)
class PutAsPatch:
    """A method the document gives the meaning of PATCH, a partial update (PUT as PATCH)."""

    method: str = "PUT"
    example_path: str | None = None  # the update operation's path the document names


PUT_AS_PATCH = FeatureKey("put_as_patch", PutAsPatch)
