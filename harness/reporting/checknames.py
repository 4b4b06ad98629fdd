"""Checks as a reader knows them: a readable name and what the check verifies.

Reports show ``Link relations (pagination)`` with the check's own description
(``CheckSpec.doc``, the first line of its docstring, read to the end of its sentence), and
keep the id (``pagination.link-relations``) only as a reference. Ids of an earlier release
(``rules_a.json-suffix``) are shown under today's name.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache

from harness.checks import ALIASES, load_all

__all__ = ["CheckName", "check_name"]


@dataclass(frozen=True)
class CheckName:
    id: str  # today's id
    title: str  # "Link relations (pagination)"
    doc: str  # what the check verifies, in a sentence ("" for an unknown check)


def _title(check_id: str) -> str:
    concern, _, rest = check_id.partition(".")
    words = (rest or concern).replace("-", " ").replace("_", " ").strip()
    words = words[:1].upper() + words[1:]
    return f"{words} ({concern})" if rest else words


@cache
def check_name(name: str) -> CheckName:
    """The readable name of a check id (or of an alias from an earlier release)."""
    current = ALIASES.get(name, name)
    spec = load_all().get(current)
    if spec is None:
        return CheckName(current, _title(current), "")
    # ``doc`` is the docstring's first line; a sentence that goes on is read to its end.
    paragraph = (inspect.getdoc(spec.func) or "").split("\n\n")[0]
    whole = " ".join(paragraph.split())
    doc = whole if whole.startswith(spec.doc.strip()) else spec.doc.strip()
    return CheckName(current, _title(current), doc)
