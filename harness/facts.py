"""Vendor facts: what is known about each real API, with where it is shown.

``schemas/<vendor>/facts.toml`` (validated against ``facts.schema.json``) lists facts
about endpoints, fields, headers, body shapes, limits and filters, each with its
sources: the vendor's document, its public reference (developer site, API reference) or
a published client. The documents stay the authority for clauses; facts drive the
endpoint inventory (each operation names the facts it rests on), the emulators and the
lenient checks. ``harness facts VENDOR`` lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import Any, Literal

from harness._resources import vendor_folder
from harness._tomlfile import check_against, read_data
from harness.errors import ConfigError, ProfileError

__all__ = [
    "FACTS_FILE",
    "Fact",
    "FactSource",
    "check_fact_references",
    "load_facts",
    "load_facts_file",
]

FACTS_FILE = "facts.toml"
SourceKind = Literal["document", "public-reference", "client"]


@dataclass(frozen=True)
class FactSource:
    kind: SourceKind
    ref: str
    via: str | None = None

    def __str__(self) -> str:
        via = f" (via {self.via})" if self.via else ""
        return f"{self.kind}: {self.ref}{via}"


@dataclass(frozen=True, eq=False)
class Fact:
    """One thing known about a vendor's API, and where it is shown."""

    id: str
    about: str
    subject: str
    value: Any
    sources: tuple[FactSource, ...]
    note: str | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of source that show it (document, public-reference, client)."""
        return tuple(dict.fromkeys(s.kind for s in self.sources))


def load_facts_file(path: Path) -> dict[str, Fact]:
    """The facts of one file by id; a duplicate id names both entries."""
    data = read_data(path, ProfileError)
    check_against(data, "facts", path, ProfileError)
    facts: dict[str, Fact] = {}
    for index, entry in enumerate(data["facts"]):
        fact_id = entry["id"]
        if fact_id in facts:
            first = next(i for i, e in enumerate(data["facts"]) if e["id"] == fact_id)
            raise ProfileError(
                path,
                f"facts[{index}].id",
                f"{fact_id!r} is also the id of facts[{first}]",
                "give every fact its own id",
            )
        sources = tuple(FactSource(**s) for s in entry["sources"])
        facts[fact_id] = Fact(**{**entry, "sources": sources})
    return facts


@cache
def _facts_of(folder: Path) -> Mapping[str, Fact]:
    path = folder / FACTS_FILE
    return load_facts_file(path) if path.is_file() else {}


def load_facts(vendor: str) -> Mapping[str, Fact]:
    """The facts of a known vendor (none when its folder has no facts.toml)."""
    return _facts_of(vendor_folder(vendor))


def facts_in(folder: Path) -> Mapping[str, Fact]:
    """The facts of the vendor folder ``folder`` (none without a facts.toml)."""
    return _facts_of(folder)


def check_fact_references(
    named: Iterable[tuple[str, Iterable[str]]],
    facts: Mapping[str, Fact],
    path: Path,
    error: type[ConfigError],
    facts_path: Path,
) -> None:
    """Every ``facts = [...]`` id in ``named`` (key, ids) exists in ``facts``."""
    for key, ids in named:
        for fact_id in ids:
            if fact_id not in facts:
                close = get_close_matches(fact_id, list(facts), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise error(
                    path,
                    key,
                    f"names the fact {fact_id!r}, which {facts_path} does not list{hint}",
                    f"add it to {facts_path} with its sources, or fix the id "
                    "(`harness facts VENDOR` lists them)",
                )
