"""``selftest --changed``: prove only the faults a change could have made blind.

A changed file selects faults by what it is (paths relative to the repository root):

- a vendor's data or emulator (``schemas/<vendor>/``, ``harness/emulators/<vendor>/``):
  every fault of that vendor;
- a check module: the faults of the clauses linked to the checks defined in it;
- any other file of a check package (its private helpers, its features schema): the
  faults of the clauses linked to any check of that package;
- code that only consumes results (reports, monitor, runner, the CLI, the pytest plugin):
  nothing, as no proof runs through it;
- any other code under ``harness/`` and the project's dependencies: every fault;
- the rest (tests, documents, benchmarks): nothing.

Every vendor touched also gets its clean runs proven again. :func:`select` is pure (a
list of paths and an index in, a selection out); :func:`changed_paths` asks git.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from harness._resources import vendor_folder
from harness.catalog import load_clauses
from harness.checks import get_check, load_all
from harness.emulators import vendor_module
from harness.errors import HarnessError

__all__ = [
    "ChangeIndex",
    "Selection",
    "build_index",
    "changed_paths",
    "default_base",
    "repository_root",
    "select",
]

CHECKS_ROOT = "harness/checks/"
SHARED = ("harness/", "pyproject.toml")
# Consumers of results: the selftest imports none of them, so no proof can change with them.
INERT = (
    "harness/reporting/",
    "harness/monitor/",
    "harness/runner",
    "harness/waivers",
    "harness/pytest_plugin",
    "harness/cli.py",
    "harness/_cli_",
)


@dataclass(frozen=True)
class ChangeIndex:
    """What the selection reads, as plain data (repository-relative POSIX paths)."""

    vendor_paths: Mapping[str, tuple[str, ...]]  # vendor -> folders (ending in /) or files
    check_files: Mapping[str, str]  # check name -> the module that defines it
    clause_checks: Mapping[str, Mapping[str, tuple[str, ...]]]  # vendor -> clause -> checks
    fault_clauses: Mapping[str, Mapping[str, str]]  # vendor -> fault -> clause


@dataclass
class Selection:
    """The faults to prove per vendor, and why; ``everything`` when shared code changed."""

    faults: dict[str, set[str]] = field(default_factory=dict)
    everything: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def vendors(self) -> tuple[str, ...]:
        return tuple(sorted(self.faults))

    def faults_of(self, vendor: str) -> frozenset[str] | None:
        """The faults of ``vendor`` to prove (None: all of them)."""
        if self.everything:
            return None
        return frozenset(self.faults.get(vendor, ()))

    def touches(self, vendor: str) -> bool:
        return self.everything or vendor in self.faults

    def explain(self, most: int = 12) -> list[str]:
        """Why these faults were selected: a line per changed file that selected any (at
        most ``most``, then how many more)."""
        lines = self.reasons[:most]
        if len(self.reasons) > most:
            lines.append(f"... and {len(self.reasons) - most} more changed file(s)")
        return lines


def _by_checks(index: ChangeIndex, checks: set[str], selection: Selection) -> list[str]:
    """Select the faults of every clause linked to one of ``checks``; the clauses named."""
    clauses: list[str] = []
    for vendor, links in index.clause_checks.items():
        linked = {clause for clause, names in links.items() if checks & set(names)}
        if not linked:
            continue
        clauses += sorted(linked)
        mine = selection.faults.setdefault(vendor, set())
        mine.update(f for f, c in index.fault_clauses.get(vendor, {}).items() if c in linked)
    return clauses


def _owner(path: str, index: ChangeIndex) -> str | None:
    for vendor, owned in index.vendor_paths.items():
        if any(path == p or (p.endswith("/") and path.startswith(p)) for p in owned):
            return vendor
    return None


def _package(path: str) -> str | None:
    """The check package a path belongs to (None for the shared ``checks/_*`` modules)."""
    if not path.startswith(CHECKS_ROOT):
        return None
    parts = path[len(CHECKS_ROOT) :].split("/")
    if len(parts) < 2 or parts[0].startswith("_"):
        return None
    return parts[0]


def _one(path: str, index: ChangeIndex, selection: Selection) -> None:
    vendor = _owner(path, index)
    if vendor is not None:
        selection.faults[vendor] = set(index.fault_clauses.get(vendor, {}))
        selection.reasons.append(f"{path}: {vendor}'s data or emulator: every {vendor} fault")
        return
    defined = {name for name, file in index.check_files.items() if file == path}
    package = _package(path)
    if not defined and package is not None:
        prefix = f"{CHECKS_ROOT}{package}/"
        defined = {n for n, f in index.check_files.items() if f.startswith(prefix)}
    if defined:
        clauses = _by_checks(index, defined, selection)
        what = f"check module of {', '.join(sorted(defined))}"
        if package is not None and not any(index.check_files[n] == path for n in defined):
            what = f"shared by the {package} checks"
        selection.reasons.append(
            f"{path}: {what}: the faults of {', '.join(clauses) or 'no linked clause'}"
        )
        return
    if path.startswith(INERT):
        return
    if path.startswith(SHARED):
        selection.everything = True
        selection.reasons.append(f"{path}: shared code: every fault")


def select(changed: Iterable[str], index: ChangeIndex) -> Selection:
    """The faults a change to ``changed`` (repository-relative paths) could affect."""
    selection = Selection()
    for path in sorted(set(changed)):
        _one(path, index, selection)
    if selection.everything:
        selection.faults = {v: set(f) for v, f in index.fault_clauses.items()}
    return selection


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise HarnessError("--changed needs git on PATH; install git or drop --changed") from exc
    if done.returncode != 0:
        raise _GitFailed(done.stderr.strip().splitlines()[-1:] or ["git failed"])
    return done.stdout


class _GitFailed(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0])


def repository_root() -> Path:
    """The git checkout the running harness comes from."""
    here = Path(__file__).resolve().parent
    try:
        return Path(_git(here, "rev-parse", "--show-toplevel").strip())
    except _GitFailed as exc:
        raise HarnessError(
            f"--changed compares against git history, but {here} is not in a git checkout "
            f"({exc}); run it from a clone of the harness"
        ) from exc


def default_base(root: Path) -> str:
    """The merge base with ``main`` when on another branch, else ``HEAD~1``."""
    try:
        head = _git(root, "rev-parse", "HEAD").strip()
        base = _git(root, "merge-base", "HEAD", "main").strip()
        if base and base != head:
            return base
    except _GitFailed:
        pass
    return "HEAD~1"


def changed_paths(base: str | None = None, root: Path | None = None) -> tuple[str, list[str]]:
    """The base compared against and the files changed since (committed, staged, unstaged
    and untracked alike), relative to the repository root."""
    root = root or repository_root()
    base = base or default_base(root)
    try:
        _git(root, "rev-parse", "--verify", f"{base}^{{commit}}")
        diff = _git(root, "diff", "--name-only", "--no-renames", base, "--")
        untracked = _git(root, "ls-files", "--others", "--exclude-standard")
    except _GitFailed as exc:
        raise HarnessError(
            f"--changed {base}: git cannot compare against it ({exc}); give a branch, tag "
            "or commit that exists, e.g. --changed main or --changed HEAD~3"
        ) from exc
    paths = [line for line in (diff + untracked).splitlines() if line.strip()]
    return base, sorted(set(paths))


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None  # outside the checkout (a vendor on $HARNESS_VENDOR_PATH)


def _canonical(name: str) -> str:
    try:
        return get_check(name).name
    except KeyError:
        return name


def build_index(vendors: Iterable[str], root: Path) -> ChangeIndex:
    """The index of this checkout: where each vendor and check lives, what links what."""
    check_files = {}
    for name, spec in load_all().items():
        module = sys.modules[spec.func.__module__]
        found = _relative(Path(str(module.__file__)), root)
        if found:
            check_files[name] = found
    vendor_paths: dict[str, tuple[str, ...]] = {}
    clause_checks: dict[str, dict[str, tuple[str, ...]]] = {}
    fault_clauses: dict[str, dict[str, str]] = {}
    for vendor in vendors:
        module_file = Path(str(getattr(vendor_module(vendor), "__file__", "")))
        emulator = module_file.parent if module_file.name == "__init__.py" else module_file
        owned = [_relative(vendor_folder(vendor), root), _relative(emulator, root)]
        vendor_paths[vendor] = tuple(
            p + "/" if (root / p).is_dir() else p for p in owned if p is not None
        )
        clause_checks[vendor] = {
            c.id: tuple(_canonical(n) for n in c.checks) for c in load_clauses(vendor)
        }
        fault_clauses[vendor] = {f.name: f.clause for f in vendor_module(vendor).FAULTS}
    return ChangeIndex(vendor_paths, check_files, clause_checks, fault_clauses)
