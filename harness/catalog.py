"""The clause catalog: every checkable documented behaviour of every vendor.

Each vendor's clauses live in ``schemas/<vendor>/clauses.toml``. A clause has an
id (``ITRP-RL-HEADERS``), a summary in the harness's own words, the document
section it comes from, a severity, the concern it belongs to and where it comes
from (the document, or PUBLIC-FACTS.md). A clause that no check can verify says
why in ``unchecked``; a checked clause for which no emulator fault can be built (it
needs a second account, say) says why in ``unfaultable``, so ``harness faults
--uncovered`` can tell a reasoned gap from a forgotten one; a documented contradiction is
recorded as an ``ambiguity`` with its readings and the reading that strict mode picks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from harness._resources import vendor_folder, vendor_names
from harness._tomlfile import check_against, read_data
from harness.errors import ProfileError

__all__ = ["Ambiguity", "Catalog", "Clause", "Link", "load_catalog", "load_clauses"]


@dataclass(frozen=True)
class Ambiguity:
    description: str
    readings: Mapping[str, str]
    strict: str


@dataclass(frozen=True)
class Link:
    """``check`` (all its aspects not linked elsewhere) or ``check:aspect`` verifies a clause."""

    check: str
    aspect: str | None
    file: Path

    def __str__(self) -> str:
        return self.check if self.aspect is None else f"{self.check}:{self.aspect}"


@dataclass(frozen=True)
class Clause:
    id: str
    vendor: str
    summary: str
    section: str
    severity: str
    concern: str
    source: str
    document: str
    unchecked: str | None = None
    ambiguity: Ambiguity | None = None
    unfaultable: str | None = None
    checks: tuple[str, ...] = field(default=())
    links: tuple[Link, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "vendor": self.vendor,
            "summary": self.summary,
            "section": self.section,
            "document": self.document,
            "severity": self.severity,
            "concern": self.concern,
            "source": self.source,
            "checks": list(self.checks),
        }
        if self.unchecked:
            out["unchecked"] = self.unchecked
        if self.unfaultable:
            out["unfaultable"] = self.unfaultable
        if self.ambiguity:
            out["ambiguity"] = {
                "description": self.ambiguity.description,
                "readings": dict(self.ambiguity.readings),
                "strict": self.ambiguity.strict,
            }
        return out


def _load_file(path: Path, vendor: str, document: str, prefix: str) -> tuple[Clause, ...]:
    data = read_data(path, ProfileError)
    check_against(data, "clauses", path, ProfileError)
    clauses: list[Clause] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["clause"]):
        key = f"clause[{index}].id"
        if raw["id"] in seen:
            raise ProfileError(path, key, f"{raw['id']!r} appears twice", "ids must be unique")
        if not raw["id"].startswith(prefix + "-"):
            raise ProfileError(path, key, f"{raw['id']!r}", f"ids of {vendor} start with {prefix}-")
        seen.add(raw["id"])
        amb = raw.get("ambiguity")
        ambiguity = None
        if amb is not None:
            if amb["strict"] not in amb["readings"]:
                raise ProfileError(
                    path,
                    f"clause[{index}].ambiguity.strict",
                    f"{amb['strict']!r} is not one of the readings",
                    "name one of: " + ", ".join(amb["readings"]),
                )
            ambiguity = Ambiguity(
                amb["description"], MappingProxyType(dict(amb["readings"])), amb["strict"]
            )
        if "unfaultable" in raw and "unchecked" in raw:
            raise ProfileError(
                path,
                f"clause[{index}].unfaultable",
                f"{raw['id']} is unchecked, so no fault could prove a check of it",
                "keep unchecked and drop unfaultable (it is for checked clauses only)",
            )
        clauses.append(
            Clause(
                id=raw["id"],
                vendor=vendor,
                summary=raw["summary"],
                section=raw["section"],
                severity=raw["severity"],
                concern=raw["concern"],
                source=raw["source"],
                document=document,
                unchecked=raw.get("unchecked"),
                ambiguity=ambiguity,
                unfaultable=raw.get("unfaultable"),
            )
        )
    return tuple(clauses)


def _apply_links(vendor: str, clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """Merge ``links/*.toml``: which checks verify each clause, or why none can."""
    by_id = {c.id: c for c in clauses}
    links: dict[str, list[Link]] = {}
    unchecked: dict[str, str] = {}
    for path in sorted((vendor_folder(vendor) / "links").glob("*.toml")):
        data = read_data(path, ProfileError)
        check_against(data, "links", path, ProfileError)
        for clause_id, names in data.get("checks", {}).items():
            if clause_id not in by_id:
                raise ProfileError(
                    path,
                    f"checks.{clause_id}",
                    "is not a clause of " + vendor,
                    "use an id from clauses.toml",
                )
            mine = links.setdefault(clause_id, [])
            for entry in names:
                name, _, aspect = entry.partition(":")
                link = Link(name, aspect or None, path)
                if all(str(known) != entry for known in mine):
                    mine.append(link)
        for clause_id, reason in data.get("unchecked", {}).items():
            if clause_id not in by_id:
                raise ProfileError(
                    path,
                    f"unchecked.{clause_id}",
                    "is not a clause of " + vendor,
                    "use an id from clauses.toml",
                )
            unchecked[clause_id] = reason
    linked = tuple(
        replace(
            c,
            checks=tuple(dict.fromkeys(link.check for link in links.get(c.id, ()))),
            links=tuple(links.get(c.id, ())),
            unchecked=c.unchecked or unchecked.get(c.id),
        )
        for c in clauses
    )
    for index, clause in enumerate(linked):
        if clause.unfaultable and not clause.checks:
            raise ProfileError(
                vendor_folder(vendor) / "clauses.toml",
                f"clause[{index}].unfaultable",
                f"{clause.id} has no check linked in links/*.toml, so there is nothing for a "
                "fault to prove",
                "link a check to it, or drop unfaultable (and say why in unchecked)",
            )
    return linked


@cache
def load_clauses(vendor: str) -> tuple[Clause, ...]:
    """The clauses of one vendor, in file order, with their links to checks."""
    from harness.profiles import load_profile

    profile = load_profile(vendor)
    path = vendor_folder(vendor) / "clauses.toml"
    return _apply_links(vendor, _load_file(path, vendor, profile.document, profile.clause_prefix))


class Catalog:
    """All clauses of the given vendors, by id."""

    def __init__(self, clauses: tuple[Clause, ...]) -> None:
        self._by_id = {c.id: c for c in clauses}

    def __iter__(self) -> Iterator[Clause]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id

    def __getitem__(self, clause_id: str) -> Clause:
        try:
            return self._by_id[clause_id]
        except KeyError:
            raise KeyError(f"no clause {clause_id!r} in the catalog") from None

    def for_vendor(self, vendor: str) -> tuple[Clause, ...]:
        return tuple(c for c in self if c.vendor == vendor)

    def digest(self) -> str:
        """sha256 over every clause file, for run metadata."""
        h = hashlib.sha256()
        for vendor in sorted({c.vendor for c in self}):
            folder = vendor_folder(vendor)
            for path in [folder / "clauses.toml", *sorted((folder / "links").glob("*.toml"))]:
                h.update(path.read_bytes())
        return h.hexdigest()


def load_catalog(vendors: tuple[str, ...] | None = None) -> Catalog:
    names = vendors or vendor_names()
    return Catalog(tuple(c for v in names for c in load_clauses(v)))
