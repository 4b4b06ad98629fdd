"""A made-up vendor for selftest tests: a copy of a built-in vendor's data under a new name
on ``$HARNESS_VENDOR_PATH``, with an ``emulator.py`` of the test's choosing, so the real
catalog loading, emulator, engine and checks judge faults written to fail on purpose."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from harness._resources import vendor_folder, vendor_names
from harness.checks import routing_for
from harness.emulators import vendor_module


def middleware_faults(vendor: str) -> list[str]:
    """Names of the vendor's middleware faults proven in lenient mode, one per clause."""
    seen: dict[str, str] = {}
    for fault in vendor_module(vendor).FAULTS:
        if fault.wrap is not None and not fault.strict:
            seen.setdefault(fault.clause, fault.name)
    return list(seen.values())


def cheap_vendor() -> str:
    """The built-in vendor with the fewest linked checks (the cheapest proof run) that has
    middleware faults on two clauses at least."""
    usable = [v for v in vendor_names() if len(middleware_faults(v)) >= 2]
    assert usable, "no vendor has middleware faults on two clauses"
    return min(usable, key=lambda v: len(routing_for(v).checks))


def clone_vendor(root: Path, original: str, name: str, emulator: str) -> Path:
    """Copy ``original``'s folder to ``root/name`` as vendor ``name``, with ``emulator`` as
    its emulator module; returns the new folder."""
    folder = root / name
    shutil.copytree(vendor_folder(original), folder)
    for path in folder.rglob("*"):
        if path.suffix in (".json", ".toml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace(f"/schemas/{original}/", f"/schemas/{name}/"), encoding="utf-8"
            )
    profile = folder / "profile.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(
        re.sub(r'(?m)^vendor = ".*"$', f'vendor = "{name}"', text, count=1), encoding="utf-8"
    )
    (folder / "emulator.py").write_text(emulator, encoding="utf-8")
    return folder


def add_to_clause(folder: Path, clause_id: str, line: str) -> None:
    """Add a ``key = value`` line to one clause of the copy's clauses.toml."""
    path = folder / "clauses.toml"
    text = path.read_text(encoding="utf-8")
    anchor = f'id = "{clause_id}"\n'
    assert anchor in text, clause_id
    path.write_text(text.replace(anchor, anchor + line + "\n", 1), encoding="utf-8")
