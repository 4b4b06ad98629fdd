"""What every module of the ITRP emulator shares: error messages and answers, the caller."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import json_response

if TYPE_CHECKING:
    from harness.emulators.itrp._data import Account, Person

# The documented message of each error status ("HTTP Status Codes"); 405 is not documented.
MESSAGES: dict[int, str] = {
    400: "Bad Request",
    401: "Access credentials required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    422: "Validation Failed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway timeout",
}


class ItrpError(Exception):
    """An error answer: the status and the body's message (422 adds the error tuples)."""

    def __init__(
        self, status: int, message: str | None = None, errors: list[list[str]] | None = None
    ) -> None:
        super().__init__(message or MESSAGES.get(status, "Error"))
        self.status = status
        self.message = message or MESSAGES.get(status, "Error")
        self.errors = errors

    def body(self) -> dict[str, Any]:
        if self.errors is not None:
            return {"message": self.message, "errors": self.errors}
        return {"message": self.message}


def error_response(
    ctx: EmulatorContext, error: ItrpError, headers: dict[str, str] | None = None
) -> Response:
    return json_response(ctx, error.body(), error.status, headers)


@dataclass
class Caller:
    """Who is calling, through which scheme, in which account and language."""

    person: Person
    scheme: str  # "token-basic", "token-query" or "password-basic"
    account: Account
    language: str


def caller(request: Request) -> Caller:
    """The authenticated caller the middleware stored for this request."""
    found = request.scope.get("state", {}).get("itrp")
    if not isinstance(found, Caller):  # routes are only reached after authentication
        raise ItrpError(401)
    return found


def base_path(ctx: EmulatorContext) -> str:
    """The path of the profile's base URL (``/v1``), without a trailing slash."""
    return urlsplit(ctx.profile.base_url).path.rstrip("/")


def origin(request: Request) -> str:
    """scheme://host[:port] of the request, as the client addressed it."""
    return f"{request.url.scheme}://{request.url.netloc}"


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
