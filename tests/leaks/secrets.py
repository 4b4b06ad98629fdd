"""The secrets a leak test plants, every form it looks for, and the scan.

Written independently of :mod:`harness.redaction` (a test that reused the redactor's own
list of forms would only prove the redactor agrees with itself):

- kinds: every credential of every vendor's target, a password with ``/``, ``:`` and
  non-ASCII characters, the ``user:password`` strings the harness builds for Basic, and
  the one-character variants the auth checks derive for probes (``mutate``);
- encodings: raw, URL-encoded, JSON-escaped (``\\/`` and ``\\uXXXX`` too), HTML-escaped,
  Python reprs, base64 of each built ``user:password`` and of each secret at all three
  byte alignments, and, for long secrets, any 16-character run of them.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

import ahocorasick_rs

from harness.checks.auth._common import mutate
from harness.profiles import load_profile

__all__ = ["Form", "Leak", "Secret", "forms_of", "planted", "scan"]

RUN = 16  # a run of this many characters of a long secret counts as a leak
LONG = 24  # secrets at least this long are also looked for by their runs


@dataclass(frozen=True)
class Secret:
    kind: str  # what it is: "itrp credentials.api_token", "itrp Basic user:password", ...
    value: str


@dataclass(frozen=True)
class Form:
    secret: Secret
    encoding: str
    text: str


@dataclass(frozen=True)
class Leak:
    form: Form
    output: str
    where: str
    context: str

    def __str__(self) -> str:
        f = self.form
        return f"{f.secret.kind} ({f.encoding}) in {self.output} {self.where}: ...{self.context}..."


def _aligned_base64(raw: bytes) -> Iterator[str]:
    """The characters of ``raw``'s base64 that do not depend on what surrounds it."""
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + raw + bytes(3)).decode()
        first = -(-offset * 4 // 3)  # the first character made only of raw's bits
        last = (offset + len(raw)) * 4 // 3
        if last - first >= 8:
            yield encoded[first:last]


def forms_of(secret: Secret) -> list[Form]:
    value = secret.value
    found: dict[str, str] = {value: "raw"}

    def add(encoding: str, *texts: str) -> None:
        for text in texts:
            found.setdefault(text, encoding)

    add("url", quote(value, safe=""), quote(value), quote_plus(value))
    escaped = json.dumps(value)[1:-1]
    add("json", escaped, escaped.replace("/", "\\/"), json.dumps(value, ensure_ascii=False)[1:-1])
    add("html", html.escape(value))
    add("repr", repr(value)[1:-1], repr(value.encode())[2:-1])
    add("base64", base64.b64encode(value.encode()).decode().rstrip("="))
    add("base64-aligned", *_aligned_base64(value.encode()))
    if len(value) >= LONG:
        add("run", *(value[i : i + RUN] for i in range(0, len(value) - RUN + 1, 4)))
    return [Form(secret, encoding, text) for text, encoding in found.items() if len(text) >= 6]


def _basic_strings(vendor: str, credentials: Mapping[str, str]) -> Iterator[Secret]:
    """``user:password`` as the harness builds it for each Basic scheme, and with each
    credential that proves identity replaced by its probe variant."""
    for scheme in load_profile(vendor).auth:
        if scheme.kind != "basic" or not all(credentials.get(c) for c in scheme.credentials):
            continue
        for changed in (None, *scheme.credentials):
            values = {k: (mutate(v) if k == changed else v) for k, v in credentials.items() if v}
            user = (scheme.username or "").format_map(values)
            password = (scheme.password or "").format_map(values)
            label = "Basic user:password" + (f" with {changed} mutated" if changed else "")
            yield Secret(f"{vendor} {label}", f"{user}:{password}")


def planted(vendor: str, credentials: Mapping[str, str]) -> list[Secret]:
    """Every secret of one target: its credentials, their probe variants, Basic strings."""
    secrets = []
    for key, value in credentials.items():
        if not value:
            continue
        secrets.append(Secret(f"{vendor} credentials.{key}", value))
        secrets.append(Secret(f"{vendor} credentials.{key} mutated for a probe", mutate(value)))
    secrets += _basic_strings(vendor, credentials)
    return secrets


def scan(output: str, contents: Iterable[tuple[str, str]], forms: Iterable[Form]) -> list[Leak]:
    """Every form found in any of ``contents`` ((where, text) pairs of one output)."""
    pieces = list(contents)
    joined = "\0".join(text for _, text in pieces)  # one search per form, not per file
    starts, at = [], 0
    for _, text in pieces:
        starts.append(at)
        at += len(text) + 1
    forms = list(forms)
    if not forms or not joined:
        return []
    # one pass for every form (a multi-string search; the forms themselves are ours)
    automaton = ahocorasick_rs.AhoCorasick([f.text for f in forms])
    first: dict[int, int] = {}
    for index, start, _ in automaton.find_matches_as_indexes(joined, overlapping=True):
        first.setdefault(index, start)
    leaks = []
    for index, found in sorted(first.items()):
        form = forms[index]
        where = max(i for i, start in enumerate(starts) if start <= found)
        context = joined[max(0, found - 30) : found + len(form.text) + 30]
        context = context.replace("\n", " ").replace("\0", " | ")
        leaks.append(Leak(form, output, pieces[where][0], context))
    return leaks
