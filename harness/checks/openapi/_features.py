"""The ``[features.openapi]`` table, typed. Read with ``ctx.feature(OPENAPI)`` or
``OPENAPI.read(profile)`` (the fuzz checks read it too)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.checks._features import FeatureKey

__all__ = ["OPENAPI", "OpenApi"]


@dataclass(frozen=True)
class OpenApi:
    """Where the vendor publishes its OpenAPI description and documentation page."""

    spec_path: str = "/openapi.json"  # relative to the base URL
    spec_schema: str | None = None  # a schema file the description must satisfy
    docs_path_from_host: str | None = None  # the documentation page, from the host root
    docs_content_type: str = "text/html"


OPENAPI = FeatureKey("openapi", OpenApi)
