"""Which clause a finding belongs to: (check, aspect) -> clauses, from the vendor's links.

A vendor's ``links/*.toml`` name, per clause, the checks that verify it: ``check`` (every
aspect of the check that is not linked explicitly) or ``check:aspect``. Routing is data;
no code reads what a clause says. :func:`routing_for` builds the table for one vendor and
refuses, naming the links file, a link to an unknown check, a link naming an aspect the
check does not declare, and a declared aspect that no clause takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from harness.catalog import Clause, Link, load_clauses
from harness.checks._registry import ALIASES, CheckSpec
from harness.errors import HarnessError, ProfileError
from harness.profiles import Profile, load_profile

__all__ = ["Routing", "routing_for"]


@dataclass(frozen=True)
class Routing:
    """The clauses of one vendor that each (check, aspect) reports on."""

    vendor: str
    explicit: Mapping[tuple[str, str], tuple[Clause, ...]]
    bare: Mapping[str, tuple[Clause, ...]]

    @property
    def checks(self) -> tuple[str, ...]:
        """Every linked check, in link order."""
        names = [*self.bare, *(check for check, _ in self.explicit)]
        return tuple(dict.fromkeys(names))

    def clauses_of(self, check: str) -> tuple[Clause, ...]:
        """Every clause a check may report on for this vendor, in catalog order."""
        found = {c.id: c for c in self.bare.get(check, ())}
        for (name, _), clauses in self.explicit.items():
            if name == check:
                found.update((c.id, c) for c in clauses)
        return tuple(found.values())

    def route(self, check: str, aspects: Iterable[str] = ()) -> tuple[Clause, ...]:
        """The clauses of a finding about ``aspects`` (most specific first); the bare link
        when no aspect is linked explicitly."""
        for aspect in aspects:
            clauses = self.explicit.get((check, aspect))
            if clauses:
                return clauses
        bare = self.bare.get(check)
        if bare:
            return bare
        raise HarnessError(
            f"check {check!r} reported a finding about {list(aspects) or 'no aspect'} that no "
            f"clause of {self.vendor} links: add the link in schemas/{self.vendor}/links/"
        )


def _link_error(link: Link, problem: str, fix: str) -> ProfileError:
    return ProfileError(link.file, f"checks ({link})", problem, fix)


def build_routing(
    profile: Profile, clauses: tuple[Clause, ...], registry: Mapping[str, CheckSpec]
) -> Routing:
    """Validate a vendor's links against the registry and index them."""
    explicit: dict[tuple[str, str], list[Clause]] = {}
    bare: dict[str, list[Clause]] = {}
    first_link: dict[str, Link] = {}
    for clause in clauses:
        for link in clause.links:
            name = ALIASES.get(link.check, link.check)
            spec = registry.get(name)
            if spec is None:
                raise _link_error(link, "names no registered check", "see `harness checks`")
            first_link.setdefault(name, link)
            if link.aspect is None:
                bare.setdefault(name, []).append(clause)
                continue
            declared = spec.aspects(profile)
            if link.aspect not in declared:
                raise _link_error(
                    link,
                    f"names aspect {link.aspect!r}, which {name} does not declare "
                    f"for {profile.vendor}",
                    "link one of: " + (", ".join(declared) or "(none: link the check bare)"),
                )
            explicit.setdefault((name, link.aspect), []).append(clause)
    for name, link in first_link.items():
        if name in bare:
            continue
        missing = [a for a in registry[name].aspects(profile) if (name, a) not in explicit]
        if missing:
            raise _link_error(
                link,
                f"{name} can report {', '.join(repr(a) for a in missing)}, which no clause "
                f"of {profile.vendor} takes",
                f"link them as {name}:<aspect>, or link {name} bare for every other aspect",
            )
    return Routing(
        vendor=profile.vendor,
        explicit=MappingProxyType({k: tuple(v) for k, v in explicit.items()}),
        bare=MappingProxyType({k: tuple(v) for k, v in bare.items()}),
    )


@cache
def routing_for(vendor: str) -> Routing:
    """The validated routing table of a known vendor (every check module loaded)."""
    from harness.checks import load_all

    return build_routing(load_profile(vendor), load_clauses(vendor), load_all())
