"""The ``[features.envelope]`` and ``[features.service_root]`` tables, typed.

:data:`ENVELOPE` is the key other packages read the envelope with (``ctx.feature(ENVELOPE)``
in a check that ``requires=(ENVELOPE,)``, or ``ENVELOPE.read(profile)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.checks._features import FeatureKey

__all__ = ["ENVELOPE", "SERVICE_ROOT", "Envelope", "ServiceRoot"]


@dataclass(frozen=True)
class Envelope:
    """The wrapper a vendor puts around its bodies: metadata fields and the payload field.

    Every ``*_field`` names a member of the top-level body object; ``fields`` lists
    every member of the envelope where the document lists them together.
    """

    fields: tuple[str, ...] = ()
    data_field: str | None = None  # the payload member (else from pagination.items_pointer)
    request_id_field: str | None = None
    timestamp_field: str | None = None
    status_code_field: str | None = None  # an integer mirroring the HTTP status
    status_field: str | None = None  # says success or error
    success: str | None = None  # the status field's value on success
    error: str | None = None  # the status field's value on failure
    code_field: str | None = None  # the HTTP status, as code_type
    code_type: str = "string"
    code_mirrors_http_status: bool = True  # the code fields carry the HTTP status
    on_errors_too: bool = True  # request id and timestamp on error bodies as well

    @property
    def metadata_fields(self) -> frozenset[str]:
        """Every envelope member the profile names (the payload field included)."""
        named = (
            self.data_field,
            self.request_id_field,
            self.timestamp_field,
            self.status_code_field,
            self.status_field,
            self.code_field,
        )
        return frozenset(n for n in named if n) | frozenset(self.fields)


ENVELOPE = FeatureKey("envelope", Envelope)


@dataclass(frozen=True)
class ServiceRoot:
    """What GET on the service URL answers."""

    path: str = "/"
    status: int = 200
    body: Any = None  # the exact JSON body (None: not documented)
    content_length: int | None = None  # shown in the document (checked in strict mode)


SERVICE_ROOT = FeatureKey("service_root", ServiceRoot)
