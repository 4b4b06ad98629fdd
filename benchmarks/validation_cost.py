"""Schema validation cost per 100-item page: the harness's validator against pure jsonschema."""

from __future__ import annotations

import time
from typing import Any

import jsonschema

from harness.emulators import build_app, vendor_module
from harness.validation import FORMAT_CHECKER, default_store

SCHEMA = "https://harness.local/schemas/toptickets/ticket-list.schema.json"


def _page() -> list[Any]:
    """100 seeded TopTickets tickets, exactly as the emulator serves them."""
    import asyncio

    import httpx

    app, _ = build_app("toptickets")
    key = vendor_module("toptickets").credentials()["api_key"]

    async def fetch() -> list[Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://emu") as client:
            r = await client.get(
                "/v1/tickets", params={"limit": 100}, headers={"Authorization": f"Bearer {key}"}
            )
            data: list[Any] = r.json()
            return data

    return asyncio.run(fetch())


def _per_call(fn: Any, repeat: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def measure(repeat: int = 200) -> dict[str, Any]:
    page = _page()
    store = default_store()
    reference = jsonschema.Draft202012Validator(
        store.schema(SCHEMA), registry=store._registry, format_checker=FORMAT_CHECKER
    )
    assert store.validate(SCHEMA, page) == [] and reference.is_valid(page)
    harness_s = _per_call(lambda: store.validate(SCHEMA, page), repeat)
    jsonschema_s = _per_call(lambda: reference.is_valid(page), max(10, repeat // 20))
    return {
        "items": len(page),
        "harness_ms": round(harness_s * 1000, 4),
        "jsonschema_ms": round(jsonschema_s * 1000, 3),
        "speedup": round(jsonschema_s / harness_s, 1),
    }
