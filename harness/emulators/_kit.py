"""Small helpers every vendor emulator uses: seeded ids and times, JSON responses."""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from harness.emulators._base import EmulatorContext

# Seeded records are dated in the year before this instant, so data is stable.
DATA_EPOCH = datetime(2025, 6, 1, tzinfo=UTC).timestamp()


def rng(ctx: EmulatorContext, name: str) -> random.Random:
    """A deterministic generator for one named stream of one emulator."""
    digest = hashlib.sha256(f"{ctx.seed}:{ctx.profile.vendor}:{name}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def seeded_uuid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def seeded_objectid(r: random.Random, ts: float) -> str:
    """A MongoDB ObjectId: 4 bytes of seconds, then 8 random bytes, as 24 hex digits."""
    return f"{int(ts) & 0xFFFFFFFF:08x}{r.getrandbits(64):016x}"


def iso(ts: float, *, ms: bool = False, utc_z: bool = True) -> str:
    """ISO 8601 date-time, UTC; ``2025-03-17T10:15:45Z`` or ``...45.000Z`` with ``ms``."""
    moment = datetime.fromtimestamp(ts, tz=UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if ms:
        text += f".{moment.microsecond // 1000:03d}"
    return text + ("Z" if utc_z else "+00:00")


def past_times(r: random.Random, count: int, span_days: int = 365) -> list[float]:
    """``count`` distinct sorted timestamps within ``span_days`` before DATA_EPOCH."""
    seconds = sorted(r.sample(range(span_days * 86400), count))
    return [DATA_EPOCH - span_days * 86400 + s for s in seconds]


def content_type(ctx: EmulatorContext) -> str:
    charset = ctx.profile.charset
    return f"{ctx.profile.content_type}; charset={charset}" if charset else ctx.profile.content_type


def json_response(
    ctx: EmulatorContext,
    data: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """A JSON response with the vendor's documented content type."""
    body = b"" if data is None else json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=status, headers=headers, media_type=content_type(ctx))


async def read_json(request: Request) -> tuple[Any, str | None]:
    """The JSON body and ``None``, or ``None`` and what is wrong with it."""
    raw = await request.body()
    if not raw:
        return None, None
    try:
        return json.loads(raw), None
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"body is not valid JSON: {exc}"
