"""The TuriTop envelope: ``{status, code, message, details, data}`` on every response.

``status`` is ``SUCCESS`` for 2xx and ``ERROR`` otherwise; ``code`` is the HTTP status
as a three-digit string (PUBLIC-FACTS). Errors carry a non-empty message, ``details``
(free-form or null) and ``data: null``.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import json_response


class ApiError(Exception):
    """A failure an operation reports; the pipeline renders it as an error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers


def ok(ctx: EmulatorContext, data: dict[str, Any], status: int = 200) -> Response:
    body = {"status": "SUCCESS", "code": str(status), "message": "", "details": None, "data": data}
    return json_response(ctx, body, status)


def fail(ctx: EmulatorContext, error: ApiError) -> Response:
    body = {
        "status": "ERROR",
        "code": str(error.status),
        "message": error.message,
        "details": error.details,
        "data": None,
    }
    return json_response(ctx, body, error.status, headers=error.headers)
