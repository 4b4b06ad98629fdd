"""Who may call: the bearer key (known, not expired), its tier's per-minute limit and
its scopes, in the order a FastAPI service with auth dependencies answers: 401, 429, 403.

Also ``POST /v1/test``, the key check of the public reference (getting-started/api-keys).
The auth faults of ``_fault_switches`` bend exactly one of these decisions each.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from harness.emulators._base import WRITE_METHODS, EmulatorContext
from harness.emulators._kit import iso, json_response
from harness.emulators.toptickets import _fault_switches as faults
from harness.emulators.toptickets._keys import ADMIN_KEY, KEYS, RO_KEY, bearer_key, key_prefix

_SHOWN = len("tt_admin_") + 8  # the part of a key the console shows (key_prefix)


def error(ctx: EmulatorContext, status: int, detail: str, **headers: str) -> Response:
    """An error in the documented form, {"detail": "<message>"}."""
    return json_response(ctx, {"detail": detail}, status, headers or None)


class KeyGate:
    """The auth decisions of one emulator instance; keys are issued when it starts."""

    def __init__(self, ctx: EmulatorContext, organization_id: str) -> None:
        self.ctx = ctx
        self.organization_id = organization_id
        self.issued_at = ctx.clock.now()
        self._ro_reads = 0

    def key(self, request: Request) -> str | None:
        """The request's key, if it is known and has not expired on the virtual clock."""
        header = request.headers.get("authorization")
        key = bearer_key(header)
        if key is None and header and self.ctx.fault(faults.KEY_PREFIX_MATCH):
            token = header.partition(" ")[2].strip()
            key = next((k for k in KEYS if k[:_SHOWN] == token[:_SHOWN]), None)
        if key is None:
            return None
        expires = KEYS[key].expires_at(self.issued_at)
        return None if expires is not None and self.ctx.clock.now() >= expires else key

    def _refused(self, request: Request) -> Response:
        if self.ctx.fault(faults.NO_AUTH_403) and "authorization" not in request.headers:
            return error(self.ctx, 403, "Not authenticated")  # FastAPI HTTPBearer's answer
        return error(self.ctx, 401, "Invalid API key", **{"WWW-Authenticate": "Bearer"})

    def _limited(self, request: Request, key: str) -> Response | None:
        kind = "write" if request.method in WRITE_METHODS else "read"
        rule = self.ctx.profile.rate_limit.rule_for(kind, key)
        if rule is None:
            return None
        limiter = self.ctx.limiter_for(rule)
        if key == ADMIN_KEY and self.ctx.fault(faults.ADMIN_LIMIT_1000):
            limiter = self.ctx.limiter("fault:admin", 1000, rule.window_seconds)
        if key == RO_KEY and self.ctx.fault(faults.RO_LIMIT_400):
            limiter = self.ctx.limiter("fault:ro", 400, rule.window_seconds)
        decision = limiter.hit(key)
        if decision.allowed:
            return None
        wait = decision.retry_after
        message = f"Rate limit exceeded. Try again in {wait} seconds."
        return error(self.ctx, 429, message, **{"Retry-After": str(wait)})

    def guard(self, request: Request, scope: str) -> Response | None:
        """401 for a missing/unknown/expired key, 429 over the tier limit, 403 without the
        scope ("" for none); None when the call may go ahead."""
        key = self.key(request)
        if key is None:
            return self._refused(request)
        if key == RO_KEY and request.method == "GET" and self.ctx.fault(faults.RO_COLD_START):
            self._ro_reads += 1
            if self._ro_reads == 1:  # a cold key cache: the first read is refused
                return self._refused(request)
        limited = self._limited(request, key)
        if limited is not None:
            return limited
        if scope and scope not in KEYS[key].scopes:
            if self.ctx.fault(faults.RO_WRITE_401) and scope.endswith(":write"):
                return error(self.ctx, 401, "Invalid API key", **{"WWW-Authenticate": "Bearer"})
            return error(self.ctx, 403, f"Insufficient permissions. Required scope: {scope}")
        return None

    async def key_test(self, request: Request) -> Response:
        """POST /v1/test: whether the key works, with its name, scopes and expiry; any
        valid key may call it."""
        denied = self.guard(request, "")
        key = self.key(request)
        if denied is not None or key is None:
            return denied or self._refused(request)
        expires = KEYS[key].expires_at(self.issued_at)
        return json_response(
            self.ctx,
            {
                "success": True,
                "message": "API key is valid and working correctly",
                "key_name": KEYS[key].name,
                "key_prefix": key_prefix(key),
                "scopes": sorted(KEYS[key].scopes),
                "expires_at": None if expires is None else iso(expires),
                "organization_id": self.organization_id,
                "authenticated_at": iso(self.ctx.clock.now()),
            },
        )
