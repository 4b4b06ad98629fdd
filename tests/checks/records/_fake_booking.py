"""A fake booking API (``httpx.MockTransport`` handler) answering a product list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


def fake_booking_api(products: Any) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1")
        envelope = {"status": "SUCCESS", "code": "200", "message": "", "details": None}
        if path == "/authorization/grant":
            tokens = {"access_token": "tok", "refresh_token": "ref"}
            return httpx.Response(200, json={**envelope, "data": tokens})
        if path == "/product/getproducts":
            return httpx.Response(200, json={**envelope, "data": products})
        return httpx.Response(404, json={**envelope, "status": "ERROR", "code": "404"})

    return handler
