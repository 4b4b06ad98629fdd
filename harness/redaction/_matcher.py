"""Finding secrets in text: one Aho-Corasick pass over every form of every secret.

Three rules decide what is masked:

- **exact**: any textual form of a secret (:func:`~harness.redaction._forms.text_forms`);
- **base64**: any piece of a secret's base64 at any alignment, with the one character on
  each side that carries some of its bits (so ``user:password`` encoded together is
  masked wherever the password sits);
- **runs**: a run of :data:`RUN_MIN` or more characters shared with a key-like secret (a
  token, key or password, or its base64) of at least :data:`RUN_SECRET` characters, so
  a variant of a credential (a probe token with one character changed, raw or inside
  Basic, a truncated echo) is masked too. Each such secret is cut into blocks of
  :data:`RUN_BLOCK` characters; a hit on a block is extended both ways while the text
  agrees with the secret. Runs of ``2 * RUN_BLOCK - 1`` characters always contain a block.

Two masked spans one character apart are joined: the character that differs between a
secret and its variant is masked with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from harness.redaction._forms import base64_forms, text_forms

__all__ = ["RUN_BLOCK", "RUN_MIN", "RUN_SECRET", "Matcher", "Span", "apply", "merge"]

RUN_SECRET = 16
RUN_BLOCK = 5
RUN_MIN = 8
_DFA_LIMIT = 4000  # patterns; a DFA is fastest to search but grows with the patterns
_BASE64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")

Span = tuple[int, int]


@dataclass(frozen=True)
class _Rule:
    kind: str  # "exact" | "base64" | "run"
    source: str = ""  # run: the secret form the block was cut from
    offset: int = 0  # run: where the block starts in it
    left: bool = False  # base64: one partial character before the core
    right: bool = False  # base64: one partial character after it


class Matcher:
    """Finds the spans to mask for a fixed set of secret values."""

    def __init__(self, values: Iterable[str]) -> None:
        rules: dict[str, list[_Rule]] = {}
        for value in values:
            runs = _key_like(value)
            for form in text_forms(value):
                rules.setdefault(form, []).append(_Rule("exact"))
                if runs:
                    _add_runs(rules, form)
            for b64 in base64_forms(value):
                rule = _Rule("base64", left=b64.partial_left, right=b64.partial_right)
                rules.setdefault(b64.core, []).append(rule)
                if runs:
                    _add_runs(rules, b64.core)
        self._patterns = list(rules)
        self._rules = [rules[p] for p in self._patterns]
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        if self._patterns:
            small = len(self._patterns) <= _DFA_LIMIT
            self._automaton = ahocorasick_rs.AhoCorasick(
                self._patterns, implementation=ahocorasick_rs.Implementation.DFA if small else None
            )

    def __len__(self) -> int:
        return len(self._patterns)

    def spans(self, text: str) -> list[Span]:
        """Where secrets are in ``text`` (unsorted, may overlap)."""
        if self._automaton is None or not text:
            return []
        found: list[Span] = []
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            for rule in self._rules[index]:
                span = _apply_rule(rule, text, start, end)
                if span is not None:
                    found.append(span)
        return found


def _key_like(value: str) -> bool:
    """A token, key or password (has a digit, no "@" or space), not an e-mail or a name:
    only these are masked by their runs (a name's runs are words found everywhere)."""
    return (
        any(c.isdigit() for c in value) and "@" not in value and not any(c.isspace() for c in value)
    )


def _add_runs(rules: dict[str, list[_Rule]], form: str) -> None:
    """Blocks of a long form, each extended to the run it is part of when found."""
    if len(form) < RUN_SECRET:
        return
    for offset in _block_offsets(len(form)):
        rules.setdefault(form[offset : offset + RUN_BLOCK], []).append(_Rule("run", form, offset))


def _block_offsets(length: int) -> list[int]:
    offsets = list(range(0, length - RUN_BLOCK + 1, RUN_BLOCK))
    if offsets[-1] != length - RUN_BLOCK:
        offsets.append(length - RUN_BLOCK)  # the tail, so a suffix run is seen too
    return offsets


def _apply_rule(rule: _Rule, text: str, start: int, end: int) -> Span | None:
    if rule.kind == "exact":
        return start, end
    if rule.kind == "base64":
        if rule.left and start > 0 and text[start - 1] in _BASE64:
            start -= 1
        if rule.right and end < len(text) and text[end] in _BASE64:
            end += 1
        padding = 0
        while padding < 2 and end < len(text) and text[end] == "=":
            end, padding = end + 1, padding + 1
        return start, end
    source, i, j = rule.source, start, rule.offset
    while i > 0 and j > 0 and text[i - 1] == source[j - 1]:
        i, j = i - 1, j - 1
    k, m = end, rule.offset + (end - start)
    while k < len(text) and m < len(source) and text[k] == source[m]:
        k, m = k + 1, m + 1
    return (i, k) if k - i >= RUN_MIN else None


def merge(spans: Iterable[Span], gap: int = 1) -> list[Span]:
    """Sorted, non-overlapping spans; spans at most ``gap`` characters apart are joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + gap:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def apply(text: str, spans: list[Span], mask: str) -> str:
    """``text`` with each (merged) span replaced by ``mask``."""
    if not spans:
        return text
    pieces, cursor = [], 0
    for start, end in spans:
        pieces += [text[cursor:start], mask]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
