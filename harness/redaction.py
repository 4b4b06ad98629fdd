"""Redaction: secrets never reach reports, logs, stdout or attachments.

One :class:`Redactor` per target knows the secret header names, query parameters
and body fields, and every credential value of the target file; it masks them in
headers, URLs, JSON bodies and free text alike.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["MASK", "Redactor"]

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


# Every secret field name ends with one of these (lower-cased): a substring pre-filter.
_FIELD_WORDS = ("token", "secret", "password", "key")


def _normal(name: str) -> str:
    return name.lower().replace("-", "_")


class Redactor:
    """Masks secrets; ``secrets`` are the literal values to hide wherever they appear."""

    def __init__(self, secrets: Iterable[str] = (), extra_fields: Iterable[str] = ()) -> None:
        values = {s for s in secrets if s and len(s) >= 3}
        # Basic credentials travel base64-encoded: hide those encodings as well.
        encoded = set()
        for value in values:
            raw = value.encode()
            # The encoding of the longest 3-byte-aligned prefix is stable whatever follows.
            aligned = raw[: len(raw) // 3 * 3]
            if len(aligned) >= 6:
                encoded.add(base64.b64encode(aligned).decode())
        self._values = sorted(values | encoded, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(v) for v in self._values)) if self._values else None
        )
        self._fields = SECRET_FIELDS | {_normal(f) for f in extra_fields}
        unfiltered = [f for f in self._fields if not f.endswith(_FIELD_WORDS)]
        if unfiltered:
            raise ValueError(f"secret field names {unfiltered} escape the pre-filter words")
        # A JSON key that normalises to a secret field name ("clientSecret", "api-token", ...).
        names = "|".join(re.escape(f).replace("_", "[-_]?") for f in sorted(self._fields))
        self._key_pattern = re.compile(rf'"(?:{names})"\s*:', re.IGNORECASE)

    def is_secret_field(self, name: str) -> bool:
        return _normal(name) in self._fields

    def _may_hold_secret(self, text: str) -> bool:
        """Cheap test: a secret field's name or a secret value might be in ``text``."""
        if any(value in text for value in self._values):
            return True
        lowered = text.lower()
        if not any(f'{word}"' in lowered for word in _FIELD_WORDS):
            return False  # no JSON key ends in a secret word
        return self._key_pattern.search(text) is not None

    def text(self, text: str) -> str:
        """Mask every known secret value inside free text."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(MASK, text)

    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple((k, MASK if k.lower() in SECRET_HEADERS else self.text(v)) for k, v in headers)

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.query:
            query = [
                (k, MASK if self.is_secret_field(k) else v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
            ]
            parts = parts._replace(query=urlencode(query, safe="[]"))
        if "@" in parts.netloc:
            parts = parts._replace(netloc=MASK + "@" + parts.netloc.rsplit("@", 1)[1])
        return self.text(urlunsplit(parts))

    def data(self, value: Any) -> Any:
        """A JSON-like value with secret fields and secret values masked."""
        if isinstance(value, Mapping):
            return {
                k: MASK if self.is_secret_field(str(k)) and v not in (None, "") else self.data(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def body(self, raw: bytes | str, limit: int = 4096) -> str:
        """A request or response body as redacted text, truncated past ``limit`` characters."""
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        if not self._may_hold_secret(text):
            out = text  # nothing secret in it: no need to parse and rebuild
            if len(out) > limit:
                out = out[:limit] + f"... [{len(out) - limit} more characters]"
            return out
        try:
            parsed = json.loads(text)
        except ValueError:
            out = self.text(text)
        else:
            out = json.dumps(self.data(parsed), ensure_ascii=False)
        if len(out) > limit:
            out = out[:limit] + f"... [{len(out) - limit} more characters]"
        return out
