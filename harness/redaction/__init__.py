"""Redaction: secrets never reach reports, logs, stdout or attachments, in any encoding.

One :class:`Redactor` per target knows the secret header names, query parameters and body
fields, and the target's credential values; it masks them in headers, URLs, JSON bodies
and free text alike. Every value is masked in every form it can take (raw, URL-encoded,
JSON-escaped, HTML-escaped, as a Python repr, inside base64 at any alignment) and so are
long runs of it (a probe token with one character changed). Credentials are shared
process-wide, and values seen in a secret place are learned (see ``_registry``), so any
redactor masks any secret the harness knows or sent.

Checks that derive a credential the redactor cannot see being sent register it with
:func:`register_secret`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

from harness.redaction._forms import MIN_LENGTH
from harness.redaction._matcher import Matcher, Span, apply, merge
from harness.redaction._registry import SHARED_MIN, SecretRegistry

__all__ = ["MASK", "SECRET_FIELDS", "SECRET_HEADERS", "Redactor", "register_secret"]

MASK = "[REDACTED]"

SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-restricted-access-token",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
    }
)
SECRET_FIELDS = frozenset(
    {
        "access_token",
        "refresh_token",
        "secret_key",
        "client_secret",
        "clientsecret",
        "password",
        "api_token",
        "api_key",
        "accesstoken",
        "refreshtoken",
        "token",
        "secret",
        "apikey",
    }
)
# A header whose (normalised) name ends so is secret too (X-Auth-Token, X-Client-Secret).
_SECRET_HEADER_ENDINGS = ("_token", "_secret", "_password", "api_key", "apikey")
# Every secret field name ends with one of these (lower-cased): a substring pre-filter.
_FIELD_WORDS = ("token", "secret", "password", "key")

REGISTRY = SecretRegistry()
_MEMO_SIZE = 4096  # header values remembered per Redactor (see Redactor._header_value)


def _normal(name: str) -> str:
    return name.lower().replace("-", "_")


def register_secret(*values: str) -> None:
    """Mask these values (and their forms) in every output from now on."""
    REGISTRY.keep(values)


def _credential_parts(value: str) -> list[str]:
    """What a secret header or field value carries: itself, the credential after an auth
    scheme, and the user and password inside a Basic credential."""
    value = value.strip()
    parts = [value]
    scheme, _, rest = value.partition(" ")
    rest = rest.strip()
    if rest:
        parts.append(rest)
    if scheme.lower() == "basic" and rest:
        try:
            decoded = base64.b64decode(rest, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        user, _, password = decoded.partition(":")
        parts += [decoded, user, password]
    for cookie in value.split(";"):
        parts.append(cookie.partition("=")[2].strip())
    return [p for p in parts if p]


class Redactor:
    """Masks secrets; ``secrets`` are the literal values to hide wherever they appear."""

    def __init__(self, secrets: Iterable[str] = (), extra_fields: Iterable[str] = ()) -> None:
        values = {s for s in secrets if isinstance(s, str) and len(s) >= MIN_LENGTH}
        REGISTRY.keep(values)
        short = {v for v in values if len(v) < SHARED_MIN}
        self._local = Matcher(short) if short else None
        self._fields = SECRET_FIELDS | {_normal(f) for f in extra_fields}
        self._memo: tuple[object, dict[str, str]] = (None, {})
        unfiltered = [f for f in self._fields if not f.endswith(_FIELD_WORDS)]
        if unfiltered:
            raise ValueError(f"secret field names {unfiltered} escape the pre-filter words")
        # A JSON key that normalises to a secret field name ("clientSecret", "api-token", ...).
        names = "|".join(re.escape(f).replace("_", "[-_]?") for f in sorted(self._fields))
        self._key_pattern = re.compile(rf'"(?:{names})"\s*:', re.IGNORECASE)
        # name=value or "name": "value" in text that is not JSON (a form body, an echo).
        self._field_value = re.compile(
            rf"""(?<![A-Za-z0-9_-])(["']?(?:{names})["']?\s*[:=]\s*["']?)([^"'&,;\s}}\]]+)""",
            re.IGNORECASE,
        )

    # -- names ------------------------------------------------------------------------
    def is_secret_field(self, name: str) -> bool:
        return _normal(name) in self._fields

    def is_secret_header(self, name: str) -> bool:
        lowered = name.lower()
        return lowered in SECRET_HEADERS or _normal(lowered).endswith(_SECRET_HEADER_ENDINGS)

    def learn(self, value: str) -> None:
        """A value seen in a secret place: mask it, and what it carries, everywhere."""
        REGISTRY.learn(_credential_parts(value))

    # -- text -------------------------------------------------------------------------
    def _spans(self, text: str) -> list[Span]:
        kept, learned = REGISTRY.matchers()
        spans = kept.spans(text) + learned.spans(text)
        if self._local is not None:
            spans += self._local.spans(text)
        return merge(spans)

    def text(self, text: str) -> str:
        """Mask every known secret value inside free text."""
        if not text:
            return text
        return apply(text, self._spans(text), MASK)

    # -- structured -------------------------------------------------------------------
    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        items = list(headers)
        for name, value in items:
            if self.is_secret_header(name):
                self.learn(value)
        return tuple(
            (name, MASK if self.is_secret_header(name) else self._header_value(value))
            for name, value in items
        )

    def _header_value(self, value: str) -> str:
        """:meth:`text`, remembered per value while the known secrets stay the same:
        thousands of exchanges of a burst carry the same few header values. The memo
        belongs to one snapshot of the registry; a secret learned since starts a new one."""
        snapshot = REGISTRY.matchers()
        memo = self._memo
        if memo[0] is not snapshot:
            memo = (snapshot, {})
            self._memo = memo
        masked = memo[1].get(value)
        if masked is None:
            masked = self.text(value)
            if len(memo[1]) < _MEMO_SIZE:
                memo[1][value] = masked
        return masked

    def url(self, url: str) -> str:
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.text(url)
        if "@" in parts.netloc:
            userinfo, host = parts.netloc.rsplit("@", 1)
            for piece in unquote(userinfo).partition(":")[::2]:
                self.learn(piece)
            parts = parts._replace(netloc=f"{MASK}@{host}")
        if parts.query:
            pieces = []
            for piece in parts.query.split("&"):
                name, sep, value = piece.partition("=")
                if sep and value and self.is_secret_field(unquote_plus(name)):
                    self.learn(unquote_plus(value))
                    piece = f"{name}={MASK}"
                pieces.append(piece)
            parts = parts._replace(query="&".join(pieces))
        return self.text(urlunsplit(parts))

    def _learn_fields(self, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                if isinstance(v, str) and self.is_secret_field(str(k)):
                    self.learn(v)
                else:
                    self._learn_fields(v)
        elif isinstance(value, list):
            for v in value:
                self._learn_fields(v)

    def data(self, value: Any) -> Any:
        """A JSON-like value with secret fields and secret values masked."""
        self._learn_fields(value)
        return self._masked(value)

    def _masked(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {
                k: MASK if self.is_secret_field(str(k)) and v not in (None, "") else self._masked(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._masked(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def _field_values(self, text: str) -> str:
        """Mask ``name=value`` / ``"name": "value"`` of secret fields in non-JSON text."""
        for match in self._field_value.finditer(text):
            self.learn(match.group(2))
        return self._field_value.sub(lambda m: m.group(1) + MASK, text)

    def body(self, raw: bytes | str, limit: int = 4096) -> str:
        """A request or response body as redacted text, truncated past ``limit`` characters."""
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        lowered = text.lower()
        named = any(word in lowered for word in _FIELD_WORDS)  # may name a secret field
        if named and self._key_pattern.search(text) is not None:
            try:
                parsed = json.loads(text)
            except ValueError:
                out = self.text(self._field_values(text))
            else:
                out = json.dumps(self.data(parsed), ensure_ascii=False)
        elif named and "=" in text:
            out = self.text(self._field_values(text))
        else:
            out = self.text(text)
        if len(out) > limit:
            out = out[:limit] + f"... [{len(out) - limit} more characters]"
        return out
