"""Who is calling: the token grant and check, bearer JWTs and restricted access tokens.

``POST /auth/jwt`` takes ``{clientId, clientSecret}`` and answers 201 with a JWT valid for
3600 s on the virtual clock (no refresh flow; 10 requests a minute per client address).
``GET /auth/test-oauth`` answers 200 for a valid bearer token. Resource calls take
``Authorization: Bearer <jwt>`` or ``x-restricted-access-token`` (the latter only from an
allow-listed address: ``options["restricted_ip_allow_list"]``, loopback by default).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from harness.emulators._base import EmulatorContext
from harness.emulators._kit import read_json
from harness.emulators.turris._data import CLIENT_ID, CLIENT_SECRET, RESTRICTED_TOKEN
from harness.emulators.turris._envelope import fail, ok, rate_headers, stamp_ms, too_many
from harness.emulators.turris._faults import FAULT_CONTENT_TYPE, FAULT_EXPIRED_OK
from harness.emulators.turris._faults_auth import (
    FAULT_ANONYMOUS_READS,
    FAULT_MALFORMED_400,
    FAULT_MISSING_AS_401,
    FAULT_RESTRICTED_IP_WRONG,
    FAULT_RESTRICTED_REFUSED,
    FAULT_UNDECODABLE_500,
)
from harness.emulators.turris._faults_token import (
    FAULT_EXPIRED_403,
    FAULT_GRANTS_UNLIMITED,
    FAULT_VERIFY_ANY_TOKEN,
)

TOKEN_LIFETIME = 3600
ISSUER = "https://public.api.live.turrisfi.com"
DEFAULT_ALLOW_LIST = ("127.0.0.1", "::1")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "127.0.0.1"


def authenticate(ctx: EmulatorContext, signer: Signer, request: Request) -> str | Response:
    """The caller's identity, or the 401/403 response."""
    header = request.headers.get("authorization")
    restricted = request.headers.get("x-restricted-access-token")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return fail(ctx, 401, "Authorization header must be 'Bearer <token>'")
        return _bearer(ctx, signer, token.strip())
    if restricted is not None:
        known = hmac.compare_digest(restricted.encode(), RESTRICTED_TOKEN.encode())
        if not known or ctx.fault(FAULT_RESTRICTED_REFUSED):
            return fail(ctx, 401, "Invalid restricted access token")
        allowed = ctx.options.get("restricted_ip_allow_list", DEFAULT_ALLOW_LIST)
        if ctx.fault(FAULT_RESTRICTED_IP_WRONG):
            allowed = ()
        ip = client_ip(request)
        if ip not in allowed:
            return fail(ctx, 403, f"Restricted access token is not allowed from IP address {ip}")
        return "restricted"
    if ctx.fault(FAULT_ANONYMOUS_READS) and request.method == "GET":
        return "anonymous"
    return fail(
        ctx,
        401,
        "Missing authentication: send 'Authorization: Bearer <token>' "
        "or 'x-restricted-access-token'",
    )


def _bearer(ctx: EmulatorContext, signer: Signer, token: str) -> str | Response:
    """The caller a resource call's bearer token names, or its refusal."""
    if ctx.fault(FAULT_UNDECODABLE_500) and token.count(".") == 2 and not signer.claims(token):
        return fail(ctx, 500, "Internal server error")
    verdict = signer.verify(token)
    if verdict.claims is not None:
        return f"client:{verdict.claims.subject}"
    if verdict.problem == "malformed" and ctx.fault(FAULT_MALFORMED_400):
        return fail(ctx, 400, verdict.why)
    if verdict.problem == "expired" and ctx.fault(FAULT_EXPIRED_403):
        return fail(ctx, 403, "Access token is no longer allowed")
    return fail(ctx, 401, verdict.why)


def _json_type_ok(ctx: EmulatorContext, request: Request) -> bool:
    if ctx.fault(FAULT_CONTENT_TYPE):
        return True
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media == "application/json"


async def object_body(
    ctx: EmulatorContext, request: Request, headers: dict[str, str]
) -> dict[str, Any] | Response:
    """The JSON object a write sends, or the 400 response (Content-Type, syntax, shape)."""
    if not _json_type_ok(ctx, request):
        return fail(ctx, 400, "Content-Type must be application/json", headers=headers)
    body, problem = await read_json(request)
    if problem:
        return fail(ctx, 400, problem, headers=headers)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        return fail(ctx, 400, "Request body must be a JSON object", headers=headers)
    return body


def auth_routes(ctx: EmulatorContext, signer: Signer, base: str) -> list[Route]:
    """``POST {base}/auth/jwt`` and ``GET {base}/auth/test-oauth``."""

    async def grant(request: Request) -> Response:
        return await _grant(ctx, signer, request)

    async def test_oauth(request: Request) -> Response:
        return _test_oauth(ctx, signer, request)

    return [
        Route(f"{base}/auth/jwt", grant, methods=["POST"]),
        Route(f"{base}/auth/test-oauth", test_oauth, methods=["GET"]),
    ]


async def _grant(ctx: EmulatorContext, signer: Signer, request: Request) -> Response:
    rule = ctx.profile.rate_limit.rule_for("token")
    headers: dict[str, str] = {}
    if rule is not None:
        decision = ctx.limiter_for(rule).hit(client_ip(request))
        if not decision.allowed and not ctx.fault(FAULT_GRANTS_UNLIMITED):
            return too_many(ctx, decision, "the token endpoint")
        headers = rate_headers(ctx, decision)
    body = await object_body(ctx, request, headers)
    if isinstance(body, Response):
        return body
    errors = [
        f"Field '{name}' is required"
        for name in ("clientId", "clientSecret")
        if body.get(name) in (None, "")
    ]
    errors += [
        f"Field '{name}' must be a string"
        for name in ("clientId", "clientSecret")
        if body.get(name) not in (None, "") and not isinstance(body.get(name), str)
    ]
    if errors and ctx.fault(FAULT_MISSING_AS_401):
        return fail(ctx, 401, "Invalid client credentials", headers=headers)
    if errors:
        return fail(ctx, 400, *errors, headers=headers)
    good = hmac.compare_digest(
        str(body["clientId"]).encode(), CLIENT_ID.encode()
    ) and hmac.compare_digest(str(body["clientSecret"]).encode(), CLIENT_SECRET.encode())
    if not good:
        return fail(ctx, 401, "Invalid client credentials", headers=headers)
    token, _claims = signer.issue(CLIENT_ID)
    data = {"accessToken": token, "expiresIn": TOKEN_LIFETIME, "tokenType": "Bearer"}
    return ok(ctx, data, 201, headers)


def _test_oauth(ctx: EmulatorContext, signer: Signer, request: Request) -> Response:
    header = request.headers.get("authorization")
    if header is None:
        return fail(ctx, 401, "Missing Authorization header: send 'Bearer <token>'")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return fail(ctx, 401, "Authorization header must be 'Bearer <token>'")
    verdict = signer.verify(token.strip())
    claims = verdict.claims
    if claims is None and ctx.fault(FAULT_VERIFY_ANY_TOKEN):
        now = math.floor(ctx.clock.now())
        claims = Claims(CLIENT_ID, now, now + TOKEN_LIFETIME)
    if claims is None:
        return fail(ctx, 401, verdict.why)
    # docs.turrisfi.com/authentication shows a message ("If you see this ..."); the
    # emulator puts it in the documented envelope and adds when the token expires
    return ok(
        ctx,
        {
            "message": "If you see this, your OAuth access token is valid",
            "clientId": claims.subject,
            "expiresAt": stamp_ms(claims.expires_at * 1000),
        },
    )


# ---------------------------------------------------------------- access tokens: JWT (HS256)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Claims:
    subject: str
    issued_at: int
    expires_at: int


@dataclass(frozen=True)
class Verdict:
    """A token's claims, or why it is refused: ``problem`` is malformed, signature,
    payload or expired (empty when valid)."""

    claims: Claims | None
    why: str
    problem: str


class Signer:
    """Issues and verifies the emulator's access tokens (HS256, secret from the seed)."""

    def __init__(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx
        self._key = hashlib.sha256(f"turris-jwt:{ctx.seed}".encode()).digest()

    def _sign(self, signing_input: str) -> str:
        return _b64(hmac.new(self._key, signing_input.encode("ascii"), hashlib.sha256).digest())

    def issue(self, subject: str) -> tuple[str, Claims]:
        issued = math.floor(self.ctx.clock.now())
        claims = Claims(subject, issued, issued + TOKEN_LIFETIME)
        header = {"alg": "HS256", "typ": "JWT"}
        payload = {
            "sub": subject,
            "iss": ISSUER,
            "iat": claims.issued_at,
            "exp": claims.expires_at,
            "jti": str(uuid.uuid4()),
        }
        head = _b64(json.dumps(header, separators=(",", ":")).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{head}.{body}.{self._sign(f'{head}.{body}')}", claims

    def verify(self, token: str) -> Verdict:
        """The token's claims, or why it is refused (and what kind of problem that is)."""
        parts = token.split(".")
        if len(parts) != 3 or not all(parts):
            why = "Malformed access token: expected a JWT (header.payload.signature)"
            return Verdict(None, why, "malformed")
        if not hmac.compare_digest(self._sign(f"{parts[0]}.{parts[1]}"), parts[2]):
            return Verdict(None, "Invalid access token signature", "signature")
        claims = self.claims(token)
        if claims is None:
            return Verdict(None, "Malformed access token payload", "payload")
        if self.ctx.clock.now() >= claims.expires_at and not self.ctx.fault(FAULT_EXPIRED_OK):
            why = "Access token has expired; request a new one from /auth/jwt"
            return Verdict(None, why, "expired")
        return Verdict(claims, "", "")

    @staticmethod
    def claims(token: str) -> Claims | None:
        """The claims of a JWT's payload, signature unchecked (None if it does not decode)."""
        parts = token.split(".")
        try:
            payload = json.loads(_unb64(parts[1]))
            return Claims(str(payload["sub"]), int(payload["iat"]), int(payload["exp"]))
        except (ValueError, KeyError, TypeError, IndexError):
            return None
