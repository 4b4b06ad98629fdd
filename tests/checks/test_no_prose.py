"""No check reads what a clause says: checks route findings by aspect and read only the
structured parts of a clause (its id, severity, ambiguity readings), never its prose.

Every module under ``harness/checks/`` is parsed; reading an attribute named ``summary``
or ``section`` (directly or through ``getattr``), or the ``description`` of an
``ambiguity`` (also through a name bound to one), fails the test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import harness.checks

PROSE = frozenset({"summary", "section"})
CHECKS = Path(harness.checks.__file__).parent


def _attribute_reads(tree: ast.AST) -> list[tuple[int, str, ast.expr]]:
    """(line, attribute name, receiver) of every attribute access, getattr included."""
    found: list[tuple[int, str, ast.expr]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            found.append((node.lineno, node.attr, node.value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            found.append((node.lineno, node.args[1].value, node.args[0]))
    return found


def _is_ambiguity(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "ambiguity"


def _ambiguity_names(tree: ast.AST) -> set[str]:
    """Names a module binds to an ``<x>.ambiguity`` (``amb = clause.ambiguity``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_ambiguity(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif (
            isinstance(node, ast.AnnAssign | ast.NamedExpr)
            and node.value is not None
            and _is_ambiguity(node.value)
            and isinstance(node.target, ast.Name)
        ):
            names.add(node.target.id)
    return names


def prose_reads(source: str) -> list[str]:
    """Where ``source`` reads clause prose, as ``line: expression`` descriptions."""
    tree = ast.parse(source)
    aliases = _ambiguity_names(tree)
    problems = []
    for line, name, receiver in _attribute_reads(tree):
        if name in PROSE:
            problems.append(f"{line}: .{name}")
        elif name == "description" and (
            _is_ambiguity(receiver) or (isinstance(receiver, ast.Name) and receiver.id in aliases)
        ):
            problems.append(f"{line}: .ambiguity.description")
    return problems


def test_the_rule_catches_every_form_of_reading_clause_prose() -> None:
    assert prose_reads("clause.summary") == ["1: .summary"]
    assert prose_reads("x = ctx.clauses[0].section") == ["1: .section"]
    assert prose_reads("getattr(clause, 'summary')") == ["1: .summary"]
    assert prose_reads("clause.ambiguity.description") == ["1: .ambiguity.description"]
    assert prose_reads("amb = c.ambiguity\nprint(amb.description)") == ["2: .ambiguity.description"]
    assert prose_reads("c.ambiguity.strict, c.ambiguity.readings, c.id, fault.description") == []


def test_no_module_under_harness_checks_reads_clause_prose() -> None:
    modules = sorted(CHECKS.rglob("*.py"))
    assert len(modules) > 20
    found = {
        str(path.relative_to(CHECKS)): problems
        for path in modules
        if (problems := prose_reads(path.read_text(encoding="utf-8")))
    }
    assert found == {}
